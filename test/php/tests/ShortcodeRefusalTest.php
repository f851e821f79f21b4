<?php
/**
 * Why the sidecar's editor refuses what it refuses, checked on WordPress's side with the shared
 * files: every validate.json vector refused as "unclosed_shortcode" is one WordPress's own
 * do_shortcode() (through the plugin) would print otherwise than the editor meant — the tag
 * written as it stands, or the text up to a later "]" swallowed — and every catalogue shortcode
 * with "needs" prints nothing in the plugin when its message lacks that fact ("prints_nothing").
 */
class ShortcodeRefusalTest extends PHPUnit\Framework\TestCase {

	private static function shared( $file ) {
		return json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/' . $file ), true );
	}

	/** An order's render context from the render vectors: an order paid online, with a parcel. */
	private static function order_context() {
		return self::shared( 'vectors/render.json' )['contexts']['us'];
	}

	public function unclosed_provider() {
		$cases = array();
		foreach ( self::shared( 'vectors/validate.json' )['vectors'] as $vector ) {
			foreach ( $vector['expected'] as $error ) {
				if ( 'unclosed_shortcode' === $error['code'] ) {
					$cases[ $vector['name'] . ' at ' . $error['line'] . ':' . $error['column'] ] = array( $vector['input'], $error );
				}
			}
		}
		return $cases;
	}

	/** @dataProvider unclosed_provider */
	public function test_an_unclosed_tag_is_not_printed_as_the_editor_meant( $input, array $error ) {
		// The editor's meaning: the same text with "]" right after the name at the reported position.
		$lines = explode( "\n", $input );
		$line  = $lines[ $error['line'] - 1 ];
		$at    = $error['column'] + mb_strlen( $error['shortcode'] );
		$this->assertSame( '[' . $error['shortcode'], mb_substr( $line, $error['column'] - 1, mb_strlen( $error['shortcode'] ) + 1 ), 'the vector points at the tag' );
		$lines[ $error['line'] - 1 ] = mb_substr( $line, 0, $at ) . ']' . mb_substr( $line, $at );
		$meant                       = implode( "\n", $lines );

		foreach ( array( 'html', 'text' ) as $mode ) {
			$printed = Comeback_Shortcodes::render( $input, self::order_context(), $mode );
			$this->assertNotSame( Comeback_Shortcodes::render( $meant, self::order_context(), $mode ), $printed, "$mode: $input" );
		}
	}

	public function test_a_tag_without_its_bracket_swallows_the_next_line_in_wordpress() {
		$printed = Comeback_Shortcodes::render( "You ordered:\n[order_items\nTotal: [order_total]", self::order_context(), 'text' );
		$this->assertStringNotContainsString( 'Total:', $printed );
		// The items are there; the total line after them is gone.
		$this->assertMatchesRegularExpression( '/^You ordered:\n\d+ × [^\n]+$/u', $printed );
	}

	public function needs_provider() {
		$cases = array();
		foreach ( self::shared( 'catalog.json' ) as $spec ) {
			if ( isset( $spec['needs'] ) ) {
				$cases[ $spec['name'] ] = array( $spec['name'], $spec['needs']['fact'] );
			}
		}
		return $cases;
	}

	/** @dataProvider needs_provider */
	public function test_a_shortcode_prints_nothing_without_the_fact_it_needs( $name, $fact ) {
		$context = self::order_context();
		// What each fact is in a render context (sidecar/src/messages/render-context.ts).
		switch ( $fact ) {
			case 'tracking':
				$context['order']['tracking']['url'] = 'https://track.example/1Z9';
				$this->assertNotSame( '', Comeback_Shortcodes::render( "[$name]", $context, 'text' ), 'the context has a parcel' );
				unset( $context['order']['tracking'] );
				break;
			case 'coupon':
				unset( $context['coupon'] );
				break;
			case 'loyalty':
				unset( $context['loyalty'], $context['links']['portal'] );
				break;
			case 'voucher':
				unset( $context['loyalty']['voucher'] );
				break;
			case 'nps':
				unset( $context['links']['nps'] );
				break;
			default:
				$this->fail( "a fact the test does not know: $fact" );
		}
		$this->assertSame( '', Comeback_Shortcodes::render( "[$name]", $context, 'html' ) );
		$this->assertSame( '', Comeback_Shortcodes::render( "[$name]", $context, 'text' ) );
	}
}
