<?php
/**
 * The plugin's link tokens against the shared vectors (shortcodes/vectors/tokens.json), which the
 * sidecar's TypeScript passes too: a token minted by one verifies in the other, byte for byte.
 */
class LinkTokenTest extends PHPUnit\Framework\TestCase {

	private static function vectors() {
		return json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/vectors/tokens.json' ), true );
	}

	public function test_signs_every_vector_byte_for_byte() {
		$vectors = self::vectors();
		$this->assertNotEmpty( $vectors['sign'] );
		foreach ( $vectors['sign'] as $case ) {
			$this->assertSame( $case['token'], Comeback_Link_Token::sign( $case['claims'], $vectors['secret'] ) );
		}
	}

	public function test_verifies_every_vector_as_the_sidecar_does() {
		$vectors = self::vectors();
		$this->assertNotEmpty( $vectors['verify'] );
		foreach ( $vectors['verify'] as $case ) {
			$secret = $case['secret'] ?? $vectors['secret'];
			$this->assertSame( $case['expect'], Comeback_Link_Token::verify( $case['token'], $secret, $case['now'] ), $case['name'] );
		}
	}

	public function test_refuses_bad_claims() {
		$this->expectException( InvalidArgumentException::class );
		Comeback_Link_Token::sign( array( 'kind' => 'pay', 'ref' => '12', 'expiresAt' => 1 ), 's' );
	}
}
