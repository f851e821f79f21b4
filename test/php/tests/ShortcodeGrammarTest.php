<?php
/**
 * The shared parse vectors (shortcodes/vectors/parse.json) run through WordPress's own
 * do_shortcode(): what the TypeScript parser decides is a shortcode, with which attributes,
 * positional values and content, is what WordPress decides. Every name a vector expects is
 * registered with a handler that records its arguments and leaves a marker, so the output splits
 * back into text and shortcode nodes. Lines and columns are the TypeScript parser's own metadata.
 */
class ShortcodeGrammarTest extends PHPUnit\Framework\TestCase {

	/** @var array */
	private $calls = array();

	private static function vectors() {
		return json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/vectors/parse.json' ), true )['vectors'];
	}

	public function vector_provider() {
		$cases = array();
		foreach ( self::vectors() as $vector ) {
			$cases[ $vector['name'] ] = array( $vector );
		}
		return $cases;
	}

	/** @dataProvider vector_provider */
	public function test_wordpress_parses_the_vector_as_typescript_does( array $vector ) {
		global $shortcode_tags;
		$saved          = $shortcode_tags;
		$shortcode_tags = array();
		// The TypeScript parser takes every well-formed name as a shortcode (unknown ones are
		// reported by the validator); WordPress only registered ones. So every name that can
		// start a tag in this input is registered, as WordPress's own first scan finds them.
		preg_match_all( '@\[([^<>&/\[\]\x00-\x20=]++)@', $vector['input'], $found );
		foreach ( $found[1] as $name ) {
			if ( preg_match( '/^[A-Za-z_][A-Za-z0-9_-]*$/', $name ) ) {
				add_shortcode( $name, '__return_empty_string' );
			}
		}
		$this->calls = array();
		// WordPress hands this filter the whole match, which tells [b][/b] (content "") from [b].
		add_filter( 'pre_do_shortcode_tag', array( $this, 'record' ), 10, 4 );
		try {
			$output = do_shortcode( $vector['input'] );
		} finally {
			remove_filter( 'pre_do_shortcode_tag', array( $this, 'record' ), 10 );
			$shortcode_tags = $saved;
		}
		// Where WordPress knowingly differs (the vector says why), the difference itself is pinned.
		$expected = $vector['wordpress'] ?? $vector['expected'];
		$this->assertSame( self::strip_positions( $expected ), $this->nodes( $output ), $vector['input'] );
	}

	/** For every shortcode WordPress found: remember what it found, leave a marker in the output. */
	public function record( $return, $tag, $atts, $m ) {
		$enclosing  = '/' !== $m[4] && substr( $m[0], -strlen( "[/$tag]" ) ) === "[/$tag]";
		$content    = $enclosing ? $m[5] : null;
		$attrs      = array();
		$positional = array();
		foreach ( is_array( $atts ) ? $atts : array() as $key => $value ) {
			if ( is_int( $key ) ) {
				$positional[] = $value;
			} else {
				$attrs[ $key ] = $value;
			}
		}
		$node = array(
			'type'       => 'shortcode',
			'name'       => $tag,
			'attrs'      => $attrs,
			'positional' => $positional,
		);
		if ( null !== $content ) {
			$node['content'] = $content;
		}
		$this->calls[] = $node;
		// As do_shortcode_tag() does: an unpaired escape bracket stays around the output.
		return $m[1] . "\u{E000}" . ( count( $this->calls ) - 1 ) . "\u{E001}" . $m[6];
	}

	private function nodes( $output ) {
		$nodes = array();
		foreach ( preg_split( "/(\u{E000}\\d+\u{E001})/u", $output, -1, PREG_SPLIT_DELIM_CAPTURE | PREG_SPLIT_NO_EMPTY ) as $piece ) {
			if ( preg_match( "/^\u{E000}(\\d+)\u{E001}$/u", $piece, $m ) ) {
				$nodes[] = $this->calls[ (int) $m[1] ];
			} elseif ( $nodes && 'text' === end( $nodes )['type'] ) {
				$nodes[ count( $nodes ) - 1 ]['value'] .= $piece;
			} else {
				$nodes[] = array(
					'type'  => 'text',
					'value' => $piece,
				);
			}
		}
		return $nodes;
	}

	private static function strip_positions( array $nodes ) {
		return array_map(
			function ( $node ) {
				unset( $node['line'], $node['column'] );
				if ( 'shortcode' === $node['type'] ) {
					$node['attrs'] = (array) $node['attrs'];
				}
				return $node;
			},
			$nodes
		);
	}
}
