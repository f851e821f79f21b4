/**
 * Comeback, classic checkout: while the shopper fills in the form, and only once they ticked the
 * cart-reminder box, their e-mail, phone, first name and country go to the shop (wc-ajax
 * comeback_capture_cart), which reads the cart itself and queues it for the reminder service.
 * Unticking the box tells the shop too. jQuery because the classic checkout is built on it: its
 * country select (selectWoo) announces changes only as jQuery events.
 */
( function ( $, settings ) {
	'use strict';
	if ( ! $ || ! settings ) {
		return;
	}
	var BOX = '#comeback_cart_reminders';
	var FIELDS = '#billing_email, #billing_phone, #billing_first_name, #billing_country';
	var timer = null;
	var last = '';
	var quietUntil = 0;

	function post( consent ) {
		var data = {
			nonce: settings.nonce,
			consent: consent ? 1 : 0,
			email: consent ? $( '#billing_email' ).val() || '' : '',
			phone: consent ? $( '#billing_phone' ).val() || '' : '',
			first_name: consent ? $( '#billing_first_name' ).val() || '' : '',
			country: consent ? $( '#billing_country' ).val() || '' : '',
		};
		var key = JSON.stringify( data );
		if ( key === last ) {
			return;
		}
		if ( Date.now() < quietUntil ) {
			return;
		}
		last = key;
		$.post( settings.url, data ).fail( function ( xhr ) {
			// Over the shop's capture limit: quiet until it says to try again.
			if ( xhr.status === 429 ) {
				quietUntil = Date.now() + ( parseInt( xhr.getResponseHeader( 'Retry-After' ), 10 ) || 60 ) * 1000;
				last = 'limited'; // sent again once quiet, and an untick still tells the shop
			}
		} );
	}

	function send() {
		var ticked = $( BOX ).is( ':checked' );
		// Half-typed addresses are not worth a request; the shop checks them again anyway.
		var email = String( $( '#billing_email' ).val() || '' );
		var phone = String( $( '#billing_phone' ).val() || '' ).replace( /\D/g, '' );
		if ( ticked && ! /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test( email ) && phone.length < 6 ) {
			return;
		}
		if ( ticked || last !== '' ) {
			post( ticked );
		}
	}

	function later() {
		clearTimeout( timer );
		timer = setTimeout( send, 1500 );
	}

	$( document.body ).on( 'input change', FIELDS, later );
	$( document.body ).on( 'change', BOX, later );
	// Placing the order ends the need: a capture still waiting would only arrive after it.
	$( 'form.checkout' ).on( 'checkout_place_order', function () {
		clearTimeout( timer );
		return true;
	} );
} )( window.jQuery, window.comebackCartCapture );
