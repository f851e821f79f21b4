<?php
/**
 * Prices and dates written the way the shop writes them, by the same rules as the sidecar
 * (sidecar/src/messages/price-format.ts and date-format.ts), from the same data: the "formats"
 * document Comeback_Shop_Profile::formats() builds from WooCommerce's price settings and
 * WordPress's date format and translated names. The shared render vectors hold both sides to it.
 *
 * @package Comeback
 */

defined( 'ABSPATH' ) || exit;

final class Comeback_Formatting {

	/** A letter, digit or underscore in any script (what \b means in PCRE with /u). */
	private const WORD = '[\p{L}\p{N}_]';

	/**
	 * An amount as wc_price() writes it, without its markup: the shop's decimals and separators,
	 * the symbol on the configured side ("space" positions use a no-break space), a minus in
	 * front. Rounds half away from zero on the decimal string itself, so "1.005" gives 1.01.
	 *
	 * @param string $amount WooCommerce decimal string.
	 * @param string $symbol Currency symbol, plain text.
	 * @param array  $price  decimals, decimalSeparator, thousandSeparator, position.
	 */
	public static function price( $amount, $symbol, array $price ) {
		$amount = (string) $amount;
		$value  = is_numeric( trim( $amount ) ) ? (float) $amount : 0.0;
		$number = self::grouped_number( self::decimal_string( abs( $value ), $amount ), $price );
		$sign   = $value < 0 ? '-' : '';
		$nbsp   = "\u{00A0}";
		switch ( $price['position'] ) {
			case 'right':
				return $sign . $number . $symbol;
			case 'left_space':
				return $sign . $symbol . $nbsp . $number;
			case 'right_space':
				return $sign . $number . $nbsp . $symbol;
			default:
				return $sign . $symbol . $number;
		}
	}

	private static function decimal_string( $abs, $amount ) {
		if ( preg_match( '/^\s*[-+]?(\d*)(?:\.(\d*))?\s*$/', $amount, $m ) && ( '' !== $m[1] || '' !== ( $m[2] ?? '' ) ) ) {
			return ( '' !== $m[1] ? $m[1] : '0' ) . '.' . ( $m[2] ?? '' );
		}
		return sprintf( '%.12F', $abs );
	}

	private static function grouped_number( $digits, array $price ) {
		$decimals             = (int) $price['decimals'];
		list( $whole, $frac ) = array_pad( explode( '.', $digits, 2 ), 2, '' );
		$whole                = preg_replace( '/^0+(?=\d)/', '', '' === $whole ? '0' : $whole );
		$frac                 = str_pad( $frac, $decimals + 1, '0' );
		$round_up             = (int) $frac[ $decimals ] >= 5;
		$frac                 = substr( $frac, 0, $decimals );
		if ( $round_up ) {
			$all = str_split( $whole . $frac );
			$i   = count( $all ) - 1;
			while ( $i >= 0 && '9' === $all[ $i ] ) {
				$all[ $i-- ] = '0';
			}
			if ( $i >= 0 ) {
				$all[ $i ] = (string) ( (int) $all[ $i ] + 1 );
			} else {
				array_unshift( $all, '1' );
			}
			$all   = implode( '', $all );
			$whole = substr( $all, 0, strlen( $all ) - $decimals );
			$frac  = substr( $all, strlen( $all ) - $decimals );
		}
		$grouped = preg_replace( '/\B(?=(\d{3})+(?!\d))/', $price['thousandSeparator'], $whole );
		return $decimals > 0 ? $grouped . $price['decimalSeparator'] . $frac : $grouped;
	}

	/**
	 * A date as wp_date() writes it with the shop's names: the letters below in the given zone,
	 * "\" escaping the next character, other characters as they are, then WordPress's month
	 * declension when the names say the language declines them.
	 *
	 * @param string $iso       The moment, ISO 8601.
	 * @param string $time_zone "Europe/Warsaw" or "+02:00"; unknown zones are UTC.
	 * @param array  $names     format, months, monthsGenitive, monthsShort, weekdays, weekdaysShort, meridiem, declineMonths.
	 * @param string $format    WordPress date letters; empty for the shop's date format.
	 */
	public static function date( $iso, $time_zone, array $names, $format = '' ) {
		$pattern = '' === (string) $format ? (string) $names['format'] : (string) $format;
		try {
			$zone = new DateTimeZone( (string) $time_zone );
		} catch ( Exception $e ) {
			$zone = new DateTimeZone( 'UTC' );
		}
		$date  = ( new DateTimeImmutable( (string) $iso ) )->setTimezone( $zone );
		$parts = array_map( 'intval', explode( ' ', $date->format( 'Y n j G i s w' ) ) );
		list( $year, $month, $day, $hour, $minute, $second, $weekday ) = $parts;
		$hour12  = 0 === $hour % 12 ? 12 : $hour % 12;
		$pad     = function ( $n ) {
			return str_pad( (string) $n, 2, '0', STR_PAD_LEFT );
		};
		$letters = array(
			'd' => $pad( $day ),
			'j' => (string) $day,
			'S' => self::english_suffix( $day ),
			'D' => $names['weekdaysShort'][ $weekday ],
			'l' => $names['weekdays'][ $weekday ],
			'N' => (string) ( 0 === $weekday ? 7 : $weekday ),
			'w' => (string) $weekday,
			'm' => $pad( $month ),
			'n' => (string) $month,
			'F' => $names['months'][ $month - 1 ],
			'M' => $names['monthsShort'][ $month - 1 ],
			'Y' => (string) $year,
			'y' => $pad( $year % 100 ),
			'H' => $pad( $hour ),
			'G' => (string) $hour,
			'h' => $pad( $hour12 ),
			'g' => (string) $hour12,
			'i' => $pad( $minute ),
			's' => $pad( $second ),
			'a' => $hour < 12 ? $names['meridiem']['am'] : $names['meridiem']['pm'],
			'A' => $hour < 12 ? $names['meridiem']['AM'] : $names['meridiem']['PM'],
		);
		$chars   = preg_split( '//u', $pattern, -1, PREG_SPLIT_NO_EMPTY );
		$out     = '';
		for ( $i = 0, $n = count( $chars ); $i < $n; $i++ ) {
			if ( '\\' === $chars[ $i ] ) {
				$out .= $chars[ ++$i ] ?? '';
			} else {
				$out .= $letters[ $chars[ $i ] ] ?? $chars[ $i ];
			}
		}
		return empty( $names['declineMonths'] ) ? $out : self::decline_months( $out, $pattern, $names );
	}

	/** After a day number the month takes its genitive; "F j" is turned round into "j <genitive>". */
	private static function decline_months( $date, $format, array $names ) {
		$w = self::WORD;
		if ( preg_match( '/[dj]\.? F/', $format ) ) {
			foreach ( $names['months'] as $i => $month ) {
				$genitive = $names['monthsGenitive'][ $i ];
				$date     = preg_replace_callback(
					'/ ' . preg_quote( $month, '/' ) . "(?!$w)/u",
					function () use ( $genitive ) {
						return ' ' . $genitive;
					},
					$date
				);
			}
		}
		if ( preg_match( '/F [dj]/', $format ) ) {
			foreach ( $names['months'] as $i => $month ) {
				$genitive = $names['monthsGenitive'][ $i ];
				$date     = preg_replace_callback(
					"/(?<!$w)" . preg_quote( $month, '/' ) . " (\d{1,2})(st|nd|rd|th)?([-–]\d{1,2})?(st|nd|rd|th)?(?!$w)/u",
					function ( $m ) use ( $genitive ) {
						return $m[1] . ( $m[3] ?? '' ) . ' ' . $genitive;
					},
					$date
				);
			}
		}
		return $date;
	}

	/** PHP's "S": English only, as in WordPress. */
	private static function english_suffix( $day ) {
		if ( $day % 100 >= 11 && $day % 100 <= 13 ) {
			return 'th';
		}
		$suffixes = array( 'th', 'st', 'nd', 'rd' );
		return $suffixes[ $day % 10 ] ?? 'th';
	}

	/** The same five entities as the sidecar's escapeHtml(), so both write byte-identical markup. */
	public static function esc( $value ) {
		return strtr(
			(string) $value,
			array(
				'&' => '&amp;',
				'<' => '&lt;',
				'>' => '&gt;',
				'"' => '&quot;',
				"'" => '&#39;',
			)
		);
	}
}
