CREATE TABLE `send_budgets` (
	`shop_id` bigint unsigned NOT NULL,
	`channel` varchar(16) NOT NULL,
	`day` char(10) NOT NULL,
	`used` int NOT NULL DEFAULT 0,
	`held` int NOT NULL DEFAULT 0,
	CONSTRAINT `send_budgets_shop_channel_day` UNIQUE(`shop_id`,`channel`,`day`)
);
--> statement-breakpoint
CREATE TABLE `signed_requests` (
	`signature_hash` char(64) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	CONSTRAINT `signed_requests_signature_hash` PRIMARY KEY(`signature_hash`)
);
--> statement-breakpoint
CREATE INDEX `signed_requests_expiry` ON `signed_requests` (`expires_at`);