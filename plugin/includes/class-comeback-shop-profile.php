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

	/** The state as WooCommerce names it, or its code when WooCommerce's list is not at hand. */
	private static function state_name( $country, $state ) {
		if ( '' !== $state && function_exists( 'WC' ) && isset( WC()->countries ) && method_exists( WC()->countries, 'get_states' ) ) {
			$states = WC()->countries->get_states( $country );
			return is_array( $states ) && isset( $states[ $state ] ) ? $states[ $state ] : $state;
		}
		return $state;
	}

	/**
	 * The store's address as WooCommerce writes it for its country: the formats of
	 * WC_Countries::get_address_formats() and the rules of WC_Countries::get_formatted_address()
	 * (WooCommerce 9.9.5, includes/class-wc-countries.php), the way WC_Emails::get_store_address()
	 * prints the store (no person or company line, the country always shown): "Testville, CA 90001"
	 * in the US, "00-238 Warszawa" in Poland. The sidecar does the same (sidecar/src/woo/store-address.ts);
	 * shortcodes/vectors/store-address.json holds both to it.
	 *
	 * @param array $parts address1, address2, city, postcode, state (code), stateName, country (code), countryName.
	 * @return string[] The lines, top to bottom, empty ones left out.
	 */
	public static function address_lines( array $parts ) {
		$formats = array(
			'default' => "{name}\n{company}\n{address_1}\n{address_2}\n{city}\n{state}\n{postcode}\n{country}",
			'AT'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'AU'      => "{name}\n{company}\n{address_1}\n{address_2}\n{city} {state} {postcode}\n{country}",
			'BE'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'CA'      => "{company}\n{name}\n{address_1}\n{address_2}\n{city} {state_code} {postcode}\n{country}",
			'CH'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'CL'      => "{company}\n{name}\n{address_1}\n{address_2}\n{state}\n{postcode} {city}\n{country}",
			'CN'      => "{country} {postcode}\n{state}, {city}, {address_2}, {address_1}\n{company}\n{name}",
			'CZ'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'DE'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'DK'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'EE'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'ES'      => "{name}\n{company}\n{address_1}\n{address_2}\n{postcode} {city}\n{state}\n{country}",
			'FI'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'FR'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city_upper}\n{country}",
			'HK'      => "{company}\n{first_name} {last_name_upper}\n{address_1}\n{address_2}\n{city_upper}\n{state_upper}\n{country}",
			'HU'      => "{last_name} {first_name}\n{company}\n{city}\n{address_1}\n{address_2}\n{postcode}\n{country}",
			'IN'      => "{company}\n{name}\n{address_1}\n{address_2}\n{city} {postcode}\n{state}, {country}",
			'IS'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'IT'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode}\n{city}\n{state_upper}\n{country}",
			'JM'      => "{name}\n{company}\n{address_1}\n{address_2}\n{city}\n{state}\n{postcode_upper}\n{country}",
			'JP'      => "{postcode}\n{state} {city} {address_1}\n{address_2}\n{company}\n{last_name} {first_name}\n{country}",
			'LI'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'NL'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'NO'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'NZ'      => "{name}\n{company}\n{address_1}\n{address_2}\n{city} {postcode}\n{country}",
			'PL'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'PR'      => "{company}\n{name}\n{address_1} {address_2}\n{city} \n{country} {postcode}",
			'PT'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'RS'      => "{name}\n{company}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'SE'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'SI'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'SK'      => "{company}\n{name}\n{address_1}\n{address_2}\n{postcode} {city}\n{country}",
			'TR'      => "{name}\n{company}\n{address_1}\n{address_2}\n{postcode} {city} {state}\n{country}",
			'TW'      => "{company}\n{last_name} {first_name}\n{address_1}\n{address_2}\n{state}, {city} {postcode}\n{country}",
			'UG'      => "{name}\n{company}\n{address_1}\n{address_2}\n{city}\n{state}, {country}",
			'US'      => "{name}\n{company}\n{address_1}\n{address_2}\n{city}, {state_code} {postcode}\n{country}",
			'VN'      => "{name}\n{company}\n{address_1}\n{address_2}\n{city} {postcode}\n{country}",
		);
		$p       = array_map( 'trim', $parts );
		$format  = ( '' !== $p['country'] && isset( $formats[ $p['country'] ] ) ) ? $formats[ $p['country'] ] : $formats['default'];
		$replace = array(
			'{first_name}'       => '',
			'{last_name}'        => '',
			'{name}'             => '',
			'{company}'          => '',
			'{address_1}'        => $p['address1'],
			'{address_2}'        => $p['address2'],
			'{city}'             => $p['city'],
			'{state}'            => $p['stateName'],
			'{postcode}'         => $p['postcode'],
			'{country}'          => $p['countryName'],
			'{first_name_upper}' => '',
			'{last_name_upper}'  => '',
			'{name_upper}'       => '',
			'{company_upper}'    => '',
			'{address_1_upper}'  => mb_strtoupper( $p['address1'] ),
			'{address_2_upper}'  => mb_strtoupper( $p['address2'] ),
			'{city_upper}'       => mb_strtoupper( $p['city'] ),
			'{state_upper}'      => mb_strtoupper( $p['stateName'] ),
			'{state_code}'       => mb_strtoupper( $p['state'] ),
			'{postcode_upper}'   => mb_strtoupper( $p['postcode'] ),
			'{country_upper}'    => mb_strtoupper( $p['countryName'] ),
		);
		$text    = str_replace( array_keys( $replace ), array_values( $replace ), $format );
		$text    = preg_replace( '/\n\n+/', "\n", preg_replace( '/  +/', ' ', trim( $text ) ) );
		$lines   = array_map(
			function ( $line ) {
				return trim( $line, ', ' );
			},
			explode( "\n", $text )
		);
		return array_values( array_filter( $lines ) ); // As WooCommerce: drops "" and "0".
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
		$address                 = self::address_lines(
			array(
				'address1'    => (string) get_option( 'woocommerce_store_address', '' ),
				'address2'    => (string) get_option( 'woocommerce_store_address_2', '' ),
				'city'        => (string) get_option( 'woocommerce_store_city', '' ),
				'postcode'    => (string) get_option( 'woocommerce_store_postcode', '' ),
				'state'       => $state,
				'stateName'   => self::state_name( $country, $state ),
				'country'     => $country,
				'countryName' => self::country_name( $country ),
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
	 * The shop's payment gateways, as WooCommerce's checkout titles them: id, the title the
	 * customer chose, the instructions the merchant set for it (the text WooCommerce adds to the
	 * thank-you page and its emails; '' when none), whether it is an offline method, and whether
	 * checkout offers it now (a disabled one is kept for its title: older orders were paid by it). Offline
	 * is WooCommerce's own list (9.9.5 src/Internal/Admin/Settings/PaymentsProviders.php,
	 * PaymentsProviders::OFFLINE_METHODS: bacs, cheque, cod), plus any gateway a filter adds.
	 *
	 * @return array[] id, title, instructions, offline, enabled (the sidecar's gateways document).
	 */
	public static function gateways() {
		if ( ! function_exists( 'WC' ) || ! method_exists( WC(), 'payment_gateways' ) ) {
			return array();
		}
		/**
		 * The ids of the shop's offline payment methods (a bank-transfer or pay-in-store plugin adds its own).
		 *
		 * @param string[] $ids WooCommerce's own offline methods.
		 */
		$offline  = (array) apply_filters( 'comeback_offline_gateways', array( 'bacs', 'cheque', 'cod' ) );
		$gateways = array();
		foreach ( WC()->payment_gateways()->payment_gateways() as $id => $gateway ) {
			if ( ! preg_match( '/^[A-Za-z0-9_-]{1,64}$/', (string) $id ) ) {
				continue;
			}
			$gateways[] = array(
				'id'           => (string) $id,
				'title'        => mb_substr( wp_specialchars_decode( (string) $gateway->get_title(), ENT_QUOTES ), 0, 200 ),
				'instructions' => mb_substr( (string) ( $gateway->instructions ?? '' ), 0, 5000 ),
				'offline'      => in_array( (string) $id, $offline, true ),
				'enabled'      => 'yes' === $gateway->enabled,
			);
		}
		return $gateways;
	}

	/**
	 * The instructions the merchant set for one gateway ('' when none, or no such gateway).
	 *
	 * @param string $id Gateway id, as the order's payment method.
	 */
	public static function instructions( $id ) {
		foreach ( self::gateways() as $gateway ) {
			if ( $gateway['id'] === $id ) {
				return $gateway['instructions'];
			}
		}
		return '';
	}

	/** The store's country code (WooCommerce → Settings → General), "US" of "US:CA". */
	private static function store_country() {
		return strtoupper( explode( ':', (string) get_option( 'woocommerce_default_country', '' ) )[0] );
	}

	/**
	 * What WooCommerce calls the BACS "sort code" field in a country, in WooCommerce's own words and
	 * translation: the table of WC_Gateway_BACS::get_country_locale() (WooCommerce 9.9.5,
	 * includes/gateways/bacs/class-wc-gateway-bacs.php), through the same woocommerce_get_bacs_locale
	 * filter, and "Sort code" for every other country. The sidecar keeps the same table
	 * (sidecar/src/messages/shop-formats.ts); shortcodes/vectors/bacs-labels.json holds both to it.
	 *
	 * @param string $country ISO 3166-1 alpha-2 code.
	 */
	public static function sort_code_label( $country ) {
		// phpcs:disable WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own labels, in WooCommerce's translation.
		$locale = apply_filters( // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- WooCommerce's own filter, applied as WooCommerce applies it.
			'woocommerce_get_bacs_locale',
			array(
				'AU' => array( 'sortcode' => array( 'label' => __( 'BSB', 'woocommerce' ) ) ),
				'CA' => array( 'sortcode' => array( 'label' => __( 'Bank transit number', 'woocommerce' ) ) ),
				'IN' => array( 'sortcode' => array( 'label' => __( 'IFSC', 'woocommerce' ) ) ),
				'IT' => array( 'sortcode' => array( 'label' => __( 'Branch sort', 'woocommerce' ) ) ),
				'NZ' => array( 'sortcode' => array( 'label' => __( 'Bank code', 'woocommerce' ) ) ),
				'SE' => array( 'sortcode' => array( 'label' => __( 'Bank code', 'woocommerce' ) ) ),
				'US' => array( 'sortcode' => array( 'label' => __( 'Routing number', 'woocommerce' ) ) ),
				'ZA' => array( 'sortcode' => array( 'label' => __( 'Branch code', 'woocommerce' ) ) ),
			)
		);
		$label  = $locale[ $country ]['sortcode']['label'] ?? __( 'Sort code', 'woocommerce' );
		// phpcs:enable WordPress.WP.I18n.TextDomainMismatch
		return (string) $label;
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
				'timeFormat'     => (string) get_option( 'time_format', 'g:i a' ),
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
				'sortCode'         => self::sort_code_label( self::store_country() ),
				'paymentReference' => __( 'Payment reference', 'comeback' ),
			),
		);
	}
}
