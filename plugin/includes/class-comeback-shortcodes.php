<?php
/**
 * The reminder shortcodes (shortcodes/catalog.json) in WordPress: registered with add_shortcode()
 * for pages, and run in WooCommerce's emails (subject, heading and the "additional content" a
 * merchant edits under WooCommerce → Settings → Emails), so "[payment_link]" in the invoice email
 * gives the customer the link to pay.
 *
 * Each shortcode writes exactly what the sidecar's helper writes for the same data (the render
 * vectors in shortcodes/vectors/render.json run through both). Where the sidecar refuses to send
 * (no payment link, no bank account, a non-http link), a page or a WooCommerce email prints
 * nothing instead: they must never break.
 *
 * Which order: the email's order; on a page, the order of the order-received or pay-for-order page
 * when the URL carries its key, or the logged-in customer's own order on My Account → View order.
 * Nowhere else is an order shown (the filter comeback_shortcode_order may supply one). There is
 * never a cart: only the sidecar's abandoned-cart messages have one, so cart shortcodes print nothing.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Shortcodes {

	private const CELL  = 'padding:4px 12px 4px 0;vertical-align:top;';
	private const TABLE = 'border-collapse:collapse;margin:8px 0;';

	/** @var array[] Render states being used, innermost last: array( context, mode ). */
	private static $stack = array();

	/** @var string[] Names another plugin had already registered; left to it. */
	private static $taken = array();

	public static function register() {
		add_action( 'init', array( __CLASS__, 'add_shortcodes' ) );
		add_action( 'woocommerce_email', array( __CLASS__, 'hook_emails' ) );
	}

	public static function add_shortcodes() {
		foreach ( array_keys( Comeback_Catalog::shortcodes() ) as $name ) {
			if ( shortcode_exists( $name ) ) {
				self::$taken[] = $name;
				continue;
			}
			add_shortcode( $name, array( __CLASS__, 'page_shortcode' ) );
		}
	}

	/** @return string[] Catalogue names another plugin registered first (pages get theirs; emails ours). */
	public static function taken_names() {
		return self::$taken;
	}

	/**
	 * Renders the catalogue's shortcodes in $text for one context. Only Comeback's shortcodes run
	 * (by WordPress's own parser), whatever else is registered; everything else stays as written.
	 *
	 * @param string $text    Editor text.
	 * @param array  $context The render context (same shape as the sidecar's RenderContext).
	 * @param string $mode    'html' or 'text'.
	 */
	public static function render( $text, array $context, $mode ) {
		global $shortcode_tags;
		$saved          = $shortcode_tags;
		$shortcode_tags = array();
		foreach ( array_keys( Comeback_Catalog::shortcodes() ) as $name ) {
			$shortcode_tags[ $name ] = array( __CLASS__, 'context_shortcode' );
		}
		self::$stack[] = array( $context, 'text' === $mode ? 'text' : 'html' );
		try {
			return do_shortcode( (string) $text );
		} finally {
			array_pop( self::$stack );
			$shortcode_tags = $saved;
		}
	}

	/** A shortcode run by render(): the context on top of the stack. */
	public static function context_shortcode( $atts, $content, $tag ) {
		list( $context, $mode ) = end( self::$stack );
		return self::output( $tag, $context, $mode, $atts );
	}

	/** A shortcode in a page: the order in view, if any; shop-level shortcodes work anywhere. */
	public static function page_shortcode( $atts, $content, $tag ) {
		$order = self::order_in_view();
		return self::output( $tag, $order ? Comeback_Order_Context::for_order( $order ) : Comeback_Order_Context::for_shop(), 'html', $atts );
	}

	/**
	 * What one shortcode writes.
	 *
	 * @param string       $tag     Shortcode name.
	 * @param array        $context Render context; 'order' and 'customer' are absent outside an order.
	 * @param string       $mode    'html' or 'text'.
	 * @param array|string $atts    As WordPress passes them ('' without attributes).
	 */
	public static function output( $tag, array $context, $mode, $atts ) {
		$attrs = array();
		foreach ( is_array( $atts ) ? $atts : array() as $key => $value ) {
			if ( is_string( $key ) ) {
				$attrs[ $key ] = (string) $value;
			}
		}
		$order   = $context['order'] ?? null;
		$html    = 'html' === $mode;
		$formats = $context['formats'];
		$text    = function ( $value ) use ( $html ) {
			return $html ? Comeback_Formatting::esc( $value ) : (string) $value;
		};
		$money   = function ( $amount ) use ( $order, $formats ) {
			return Comeback_Formatting::price( $amount, $order['currencySymbol'], $formats['price'] );
		};
		switch ( $tag ) {
			case 'payment_link':
				return self::link( $context['links']['payment'] ?? '', self::attr( 'payment_link', 'text', $attrs ), $html );
			case 'unsubscribe_link':
				return self::link( $context['links']['unsubscribe'] ?? '', self::attr( 'unsubscribe_link', 'text', $attrs ), $html );
			case 'bank_details':
				return self::bank_details( $context, $html );
			case 'company_details':
				$company = $context['shop']['company'];
				$lines   = array_values( array_filter( array_merge( array( $company['name'] ), $company['address'], isset( $company['taxId'] ) ? array( $company['taxId'] ) : array() ), 'strlen' ) );
				return $html ? implode( '<br />', array_map( array( 'Comeback_Formatting', 'esc' ), $lines ) ) : implode( "\n", $lines );
			case 'payable_to':
				return $text( $context['shop']['company']['name'] );
			case 'shop_name':
				return $text( $context['shop']['name'] );
			case 'customer_first_name':
				return $text( $context['customer']['firstName'] ?? '' );
			case 'customer_name':
				return $text( trim( ( $context['customer']['firstName'] ?? '' ) . ' ' . ( $context['customer']['lastName'] ?? '' ) ) );
			case 'cart_link':
			case 'cart_items':
			case 'cart_total':
				// A cart is known only to the sidecar, which renders its abandoned-cart messages itself;
				// a page or a WooCommerce email is about an order (or nothing), never a cart.
				return '';
			case 'coupon_offer':
				// A message that carries a personal coupon (the sidecar's context has one) says what it
				// gives; a page or a WooCommerce email has none, so it prints nothing there.
				return isset( $context['coupon'] ) ? $text( self::coupon_offer( $context['coupon'], $formats['price'] ) ) : '';
			case 'coupon_code':
			case 'coupon_value':
			case 'coupon_expiry':
			case 'points_balance':
			case 'cashback_balance':
			case 'voucher_code':
			case 'voucher_value':
			case 'voucher_expiry':
			case 'nps_link':
			case 'portal_link':
				// Personal coupons and loyalty data exist only in the sidecar's own messages to a
				// customer (win-back, loyalty notices, campaigns), never in a page or a WooCommerce email.
				return '';
		}
		if ( ! $order ) {
			return '';
		}
		switch ( $tag ) {
			case 'order_number':
				return $text( $order['number'] );
			case 'order_date':
				return $text( Comeback_Formatting::date( $order['dateCreated'], $context['timeZone'], $formats['dates'], $attrs['format'] ?? '' ) );
			case 'order_total':
				return $text( $money( $order['total'] ) );
			case 'order_items':
				if ( ! $html ) {
					return implode(
						"\n",
						array_map(
							function ( $item ) use ( $money ) {
								return $item['quantity'] . ' × ' . $item['name'] . ' — ' . $money( $item['total'] );
							},
							$order['items']
						)
					);
				}
				$rows = '';
				foreach ( $order['items'] as $item ) {
					$rows .= '<tr><td style="' . self::CELL . '">' . Comeback_Formatting::esc( $item['quantity'] ) . ' ×</td><td style="' . self::CELL . '">' . Comeback_Formatting::esc( $item['name'] ) . '</td><td align="right" style="' . self::CELL . '">' . Comeback_Formatting::esc( $money( $item['total'] ) ) . '</td></tr>';
				}
				return '<table role="presentation" style="' . self::TABLE . '">' . $rows . '</table>';
			case 'item_count':
				$count = array_sum( array_column( $order['items'], 'quantity' ) );
				return $text( self::count_words( 'item', $count, self::number( $count, $formats['price'] ) ) );
			case 'payment_method':
				return $text( $order['paymentMethodTitle'] );
			case 'payment_instructions':
				// The merchant's plain text (a textarea): its lines kept, blank ones left out.
				$lines = array_values( array_filter( array_map( 'trim', explode( "\n", (string) ( $order['paymentInstructions'] ?? '' ) ) ), 'strlen' ) );
				return $html ? implode( '<br />', array_map( array( 'Comeback_Formatting', 'esc' ), $lines ) ) : implode( "\n", $lines );
			case 'tracking_number':
				return $text( $order['tracking']['number'] ?? '' );
			case 'tracking_link':
				// Not a refusal when missing or not http(s): link() prints nothing, as the sidecar does.
				return self::link( $order['tracking']['url'] ?? '', self::attr( 'tracking_link', 'text', $attrs ), $html );
		}
		return '';
	}

	/**
	 * What a coupon gives, as a sentence takes it (the sidecar's couponOffer in messages/helpers.ts):
	 * "12,5% off", "$5.00 off", "a free Blue mug", or "a free product" without the product's name.
	 *
	 * @param array $coupon The render context's coupon: type, amount (a decimal string), currencySymbol, productName.
	 * @param array $price  The shop's price format.
	 */
	private static function coupon_offer( array $coupon, array $price ) {
		if ( 'product' === $coupon['type'] ) {
			$name = (string) ( $coupon['productName'] ?? '' );
			if ( '' === $name ) {
				return __( 'a free product', 'comeback' );
			}
			/* translators: %s: the free product's name, e.g. "Blue mug". */
			return sprintf( __( 'a free %s', 'comeback' ), $name );
		}
		$value = 'percent' === $coupon['type']
			? self::number( $coupon['amount'], $price ) . '%'
			: Comeback_Formatting::price( $coupon['amount'], $coupon['currencySymbol'], $price );
		/* translators: %s: the discount, e.g. "10%" or "$5.00". */
		return sprintf( __( '%s off', 'comeback' ), $value );
	}

	/**
	 * A count (a percentage, a number of products) with the shop's separators and only the decimals
	 * it has, at most two (the sidecar's formatNumber in messages/helpers.ts).
	 *
	 * @param int|float|string $value The number.
	 * @param array            $price The shop's price format.
	 */
	private static function number( $value, array $price ) {
		$cents    = (int) round( (float) $value * 100 );
		$decimals = 0 === $cents % 100 ? 0 : ( 0 === $cents % 10 ? 1 : 2 );
		$number   = array_merge(
			$price,
			array(
				'decimals' => $decimals,
				'position' => 'left',
			)
		);
		return Comeback_Formatting::price( (string) $value, '', $number );
	}

	/**
	 * A count with its noun in the language WordPress speaks now ("3 items", "5 produktów"): the
	 * noun's plural forms from the plugin's translation, chosen by its Plural-Forms rule through
	 * _n(), as the sidecar's countWords() in messages/helpers.ts takes them from the same .po
	 * (shortcodes/vectors/plurals.json holds both to the same words). $shown is the count as
	 * printed. A fraction takes the form of 5 (plural rules are written for whole numbers).
	 *
	 * @param string    $noun  'item' or 'point'.
	 * @param int|float $count How many.
	 * @param string    $shown The count as the message prints it.
	 */
	public static function count_words( $noun, $count, $shown ) {
		$count = (float) $count;
		$n     = floor( $count ) === $count ? (int) abs( $count ) : 5;
		if ( 'item' === $noun ) {
			/* translators: %s: how many products, e.g. "3". */
			return sprintf( _n( '%s item', '%s items', $n, 'comeback' ), $shown );
		}
		/* translators: %s: a loyalty points balance, e.g. "1,250". */
		return sprintf( _n( '%s point', '%s points', $n, 'comeback' ), $shown );
	}

	/** The catalogue's default for an attribute the editor left out. */
	private static function attr( $shortcode, $name, array $attrs ) {
		if ( isset( $attrs[ $name ] ) ) {
			return $attrs[ $name ];
		}
		foreach ( Comeback_Catalog::shortcodes()[ $shortcode ]['attributes'] as $attribute ) {
			if ( $attribute['name'] === $name ) {
				return $attribute['default'] ?? '';
			}
		}
		return '';
	}

	/** A link only to http(s) addresses: anything else (javascript:…) prints nothing. */
	private static function link( $url, $label, $html ) {
		if ( ! preg_match( '#^https?://#i', (string) $url ) ) {
			return '';
		}
		return $html ? '<a href="' . Comeback_Formatting::esc( $url ) . '" target="_blank" style="color:#7f54b3;font-weight:bold;">' . Comeback_Formatting::esc( $label ) . '</a>' : $url;
	}

	private static function bank_details( array $context, $html ) {
		$accounts = $context['shop']['bankAccounts'];
		if ( empty( $accounts ) ) {
			return '';
		}
		$label  = $context['formats']['labels'];
		$blocks = array();
		foreach ( $accounts as $account ) {
			$blocks[] = self::rows(
				$html,
				array(
					array( $label['accountName'], $account['accountName'] ?? '' ),
					array( $label['bank'], $account['bankName'] ?? '' ),
					array( $label['accountNumber'], $account['accountNumber'] ?? '' ),
					array( $label['iban'], $account['iban'] ?? '' ),
					array( $label['bic'], $account['bic'] ?? '' ),
					array( $label['sortCode'], $account['sortCode'] ?? '' ),
				)
			);
		}
		if ( isset( $context['order'] ) ) {
			$blocks[] = self::rows( $html, array( array( $label['paymentReference'], $context['order']['number'] ) ) );
		}
		return implode( $html ? '' : "\n\n", $blocks );
	}

	/** Label/value rows; empty values are left out, so optional bank fields print no blank lines. */
	private static function rows( $html, array $pairs ) {
		$present = array_filter(
			$pairs,
			function ( $pair ) {
				return '' !== (string) $pair[1];
			}
		);
		if ( ! $html ) {
			return implode(
				"\n",
				array_map(
					function ( $pair ) {
						return $pair[0] . ': ' . $pair[1];
					},
					$present
				)
			);
		}
		$rows = '';
		foreach ( $present as $pair ) {
			$rows .= '<tr><th align="left" style="' . self::CELL . '">' . Comeback_Formatting::esc( $pair[0] ) . '</th><td style="' . self::CELL . '">' . Comeback_Formatting::esc( $pair[1] ) . '</td></tr>';
		}
		return '<table role="presentation" style="' . self::TABLE . '">' . $rows . '</table>';
	}

	/**
	 * The order a page may show: order-received and pay-for-order pages only with the order's key
	 * in the URL (as WooCommerce itself checks), View order only for the order's own customer.
	 *
	 * @return WC_Order|null
	 */
	public static function order_in_view() {
		$order = null;
		$key   = isset( $_GET['key'] ) ? sanitize_text_field( wp_unslash( $_GET['key'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- the order key is the capability, as in WooCommerce.
		foreach ( array( 'order-received', 'order-pay' ) as $endpoint ) {
			$id = absint( get_query_var( $endpoint ) );
			if ( $id && '' !== $key ) {
				$candidate = wc_get_order( $id );
				if ( $candidate && hash_equals( (string) $candidate->get_order_key(), $key ) ) {
					$order = $candidate;
				}
			}
		}
		$view = absint( get_query_var( 'view-order' ) );
		if ( ! $order && $view && is_user_logged_in() ) {
			$candidate = wc_get_order( $view );
			if ( $candidate && (int) $candidate->get_customer_id() === get_current_user_id() ) {
				$order = $candidate;
			}
		}
		/**
		 * The order Comeback's shortcodes show on this page (null for none).
		 *
		 * @param WC_Order|null $order The order found from the URL, if any.
		 */
		return apply_filters( 'comeback_shortcode_order', $order );
	}

	/**
	 * Runs the shortcodes in every WooCommerce email's subject, heading (plain text) and additional
	 * content (HTML or plain, as the email is sent), for that email's order.
	 *
	 * @param WC_Emails $mailer WooCommerce's email registry.
	 */
	public static function hook_emails( $mailer ) {
		foreach ( $mailer->get_emails() as $email ) {
			add_filter( 'woocommerce_email_subject_' . $email->id, array( __CLASS__, 'email_line' ), 10, 2 );
			add_filter( 'woocommerce_email_heading_' . $email->id, array( __CLASS__, 'email_line' ), 10, 2 );
			add_filter( 'woocommerce_email_additional_content_' . $email->id, array( __CLASS__, 'email_content' ), 10, 3 );
		}
	}

	/** Subject and heading: one line of text (several-line shortcodes are folded, as the sidecar does). */
	public static function email_line( $line, $order = null ) {
		if ( false === strpos( (string) $line, '[' ) ) {
			return $line;
		}
		$text = self::render( $line, self::email_context( $order ), 'text' );
		return trim( preg_replace( '/\s+/u', ' ', $text ) );
	}

	public static function email_content( $content, $order = null, $email = null ) {
		if ( false === strpos( (string) $content, '[' ) ) {
			return $content;
		}
		$plain = $email && is_callable( array( $email, 'get_email_type' ) ) && 'plain' === $email->get_email_type();
		return self::render( $content, self::email_context( $order ), $plain ? 'text' : 'html' );
	}

	private static function email_context( $order ) {
		return $order instanceof WC_Order ? Comeback_Order_Context::for_order( $order ) : Comeback_Order_Context::for_shop();
	}
}
