CREATE TABLE `signed_requests` (
	`signature_hash` char(64) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	CONSTRAINT `signed_requests_signature_hash` PRIMARY KEY(`signature_hash`)
);
--> statement-breakpoint
CREATE INDEX `signed_requests_expiry` ON `signed_requests` (`expires_at`);