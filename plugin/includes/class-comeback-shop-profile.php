<?php
/**
 * What a message shows about the shop, from where WooCommerce and WordPress keep it: the company
 * and its bank accounts, and how the shop writes prices and dates (its price settings, its date
 * format, its translated month and weekday names, WooCommerce's translated bank labels). The
 * sidecar reads them, and the shop's name, through GET /wp-json/comeback/v1/shop-profile; the shortcodes use them here.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Shop_Profile {

	/** The country as WooCommerce names it, or its code when WooCommerce's list is not at hand. */
	private static function country_name( $code ) {
		if ( '' !== $code && function_exists( 'WC' ) && isset( WC()->countries ) ) {
			$countries = WC()->countries->get_countries();
			return $countries[ $code ] ?? $code;
		}
		return $code;
	}

	/**
	 * The shop's name: its site title (Settings → General), as the shop's pages and WooCommerce's
	 * emails show it. WordPress stores blogname HTML-escaped (sanitize_option() runs esc_html() on
	 * it), so "Tom & Jerry" is kept as "Tom &amp; Jerry": decoded here, escaped again where printed.
	 */
	public static function name() {
		return wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES );
	}

	/**
	 * WooCommerce → Settings → Emails: the sender ("From" name and address) and the email template's
	 * colours and header image, as WooCommerce's own emails use them (WC_Email::get_from_name() decodes
	 * the name, WC_Email::get_from_address() sanitizes the address). The sidecar validates each value
	 * (#hex colours, an http(s) image URL) and falls back to its own sender and look for the rest.
	 *
	 * @return array fromName, fromAddress, baseColor, backgroundColor, bodyBackgroundColor, textColor, headerImage (only the set ones).
	 */
	public static function email() {
		$email = array(
			'fromName'            => wp_specialchars_decode( (string) get_option( 'woocommerce_email_from_name', '' ), ENT_QUOTES ),
			'fromAddress'         => sanitize_email( (string) get_option( 'woocommerce_email_from_address', '' ) ),
			'baseColor'           => (string) get_option( 'woocommerce_email_base_color', '' ),
			'backgroundColor'     => (string) get_option( 'woocommerce_email_background_color', '' ),
			'bodyBackgroundColor' => (string) get_option( 'woocommerce_email_body_background_color', '' ),
			'textColor'           => (string) get_option( 'woocommerce_email_text_color', '' ),
			'headerImage'         => (string) get_option( 'woocommerce_email_header_image', '' ),
		);
		return array_filter( array_map( 'trim', $email ), 'strlen' );
	}

	/**
	 * The store's name and address as WooCommerce → Settings → General has them, the tax id if one
	 * is set, and the BACS accounts exactly as WooCommerce shows them on the thank-you page.
	 *
	 * @return array name, address[], taxId?, bankAccounts[] (the sidecar's company document).
	 */
	public static function company() {
		list( $country, $state ) = array_pad( explode( ':', (string) get_option( 'woocommerce_default_country', '' ) ), 2, '' );
		$city_line               = trim( get_option( 'woocommerce_store_postcode', '' ) . ' ' . get_option( 'woocommerce_store_city', '' ) );
		$address                 = array_values(
			array_filter(
				array(
					(string) get_option( 'woocommerce_store_address', '' ),
					(string) get_option( 'woocommerce_store_address_2', '' ),
					trim( $city_line . ( '' !== $state ? ', ' . $state : '' ), ', ' ),
					self::country_name( $country ),
				),
				'strlen'
			)
		);
		$accounts                = array();
		foreach ( (array) get_option( 'woocommerce_bacs_accounts', array() ) as $account ) {
			$account    = (array) $account;
			$accounts[] = array_filter(
				array(
					'accountName'   => (string) ( $account['account_name'] ?? '' ),
					'bankName'      => (string) ( $account['bank_name'] ?? '' ),
					'accountNumber' => (string) ( $account['account_number'] ?? '' ),
					'iban'          => (string) ( $account['iban'] ?? '' ),
					'bic'           => (string) ( $account['bic'] ?? '' ),
					'sortCode'      => (string) ( $account['sort_code'] ?? '' ),
				),
				function ( $value, $key ) {
					return '' !== $value || in_array( $key, array( 'accountName', 'bankName', 'accountNumber' ), true );
				},
				ARRAY_FILTER_USE_BOTH
			);
		}
		$company = array(
			'name'         => self::name(),
			'address'      => $address,
			'bankAccounts' => $accounts,
		);
		/**
		 * The shop's tax id for [company_details] (WooCommerce has no core field for it).
		 *
		 * @param string $tax_id Empty by default.
		 */
		$tax_id = (string) apply_filters( 'comeback_company_tax_id', '' );
		if ( '' !== $tax_id ) {
			$company['taxId'] = $tax_id;
		}
		return $company;
	}

	/**
	 * The formats document (the sidecar's shop-formats.ts schema).
	 *
	 * @return array locale, timeZone, price, dates, labels.
	 */
	public static function formats() {
		global $wp_locale;
		return array(
			'locale'   => get_locale(),
			'timeZone' => wp_timezone_string(),
			'price'    => array(
				'decimals'          => wc_get_price_decimals(),
				'decimalSeparator'  => wc_get_price_decimal_separator(),
				'thousandSeparator' => wc_get_price_thousand_separator(),
				'position'          => in_array( get_option( 'woocommerce_currency_pos' ), array( 'left', 'right', 'left_space', 'right_space' ), true ) ? get_option( 'woocommerce_currency_pos' ) : 'left',
			),
			'dates'    => array(
				'format'         => (string) get_option( 'date_format', 'F j, Y' ),
				// WP_Locale keys months by '01'…'12' and abbreviations by the full name, in order.
				'months'         => array_values( $wp_locale->month ),
				'monthsGenitive' => array_values( $wp_locale->month_genitive ),
				'monthsShort'    => array_values( $wp_locale->month_abbrev ),
				'weekdays'       => array_values( $wp_locale->weekday ),
				'weekdaysShort'  => array_values( $wp_locale->weekday_abbrev ),
				'meridiem'       => array(
					'am' => $wp_locale->get_meridiem( 'am' ),
					'pm' => $wp_locale->get_meridiem( 'pm' ),
					'AM' => $wp_locale->get_meridiem( 'AM' ),
					'PM' => $wp_locale->get_meridiem( 'PM' ),
				),
				// WordPress's own switch (a translation of its core text domain) for declining months.
				'declineMonths'  => 'on' === _x( 'off', 'decline months names: on or off' ), // phpcs:ignore WordPress.WP.I18n.MissingArgDomain -- WordPress core's own switch, read as wp_maybe_decline_date() reads it: from WordPress's default text domain.
			),
			'labels'   => array(
				// WooCommerce's own words (and translations) for its bank-transfer details.
				'accountName'      => __( 'Account name', 'woocommerce' ), // phpcs:ignore WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own label, in WooCommerce's translation.
				'bank'             => __( 'Bank', 'woocommerce' ), // phpcs:ignore WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own label, in WooCommerce's translation.
				'accountNumber'    => __( 'Account number', 'woocommerce' ), // phpcs:ignore WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own label, in WooCommerce's translation.
				'iban'             => __( 'IBAN', 'woocommerce' ), // phpcs:ignore WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own label, in WooCommerce's translation.
				'bic'              => __( 'BIC', 'woocommerce' ), // phpcs:ignore WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own label, in WooCommerce's translation.
				'sortCode'         => __( 'Sort code', 'woocommerce' ), // phpcs:ignore WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own label, in WooCommerce's translation.
				'paymentReference' => __( 'Payment reference', 'comeback' ),
			),
		);
	}
}
