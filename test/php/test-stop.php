<?php
/**
 * wp_die() and redirects end a request; in a test they are thrown as this, to assert on.
 */
class Comeback_Test_Stop extends Exception {
	public $status;
	public $location;
	public function __construct( $message, $status = 0, $location = '' ) {
		parent::__construct( $message );
		$this->status   = $status;
		$this->location = $location;
	}
}
