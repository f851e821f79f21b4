<?php
/**
 * Where the plugin finds an order's tracking: the shared vectors (shortcodes/vectors/tracking.json,
 * which the sidecar's trackingFromOrderMeta() passes too) read through WC_Order::get_meta().
 */
class ShortcodeTrackingTest extends PHPUnit\Framework\TestCase {

	public function vector_provider() {
		$file  = json_decode( file_get_contents( dirname( __DIR__, 3 ) . '/shortcodes/vectors/tracking.json' ), true );
		$cases = array();
		foreach ( $file['vectors'] as $vector ) {
			$cases[ $vector['name'] ] = array( $vector['meta'], $vector['expected'] );
		}
		return $cases;
	}

	/** @dataProvider vector_provider */
	public function test_the_plugin_reads_the_tracking_as_the_sidecar_does( array $meta, $expected ) {
		$values = array();
		foreach ( $meta as $entry ) {
			// get_meta( $key ) returns the first value stored under the key.
			$values += array( $entry['key'] => $entry['value'] );
		}
		$this->assertSame( $expected, Comeback_Order_Context::tracking( new WC_Order( array( 'meta' => $values ) ) ) );
	}

	public function test_the_order_context_carries_the_tracking_only_when_there_is_one() {
		$shipped = new WC_Order( array( 'meta' => array( '_tracking_number' => 'T-1' ) ) );
		$this->assertSame( array( 'number' => 'T-1' ), Comeback_Order_Context::for_order( $shipped )['order']['tracking'] );
		$this->assertArrayNotHasKey( 'tracking', Comeback_Order_Context::for_order( new WC_Order( array() ) )['order'] );
	}
}
