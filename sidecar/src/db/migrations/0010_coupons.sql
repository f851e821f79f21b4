CREATE TABLE `coupons` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`coupon_id` bigint unsigned NOT NULL,
	`code` varchar(64) NOT NULL,
	`customer_key` varchar(255) NOT NULL,
	`issued_for` varchar(128) NOT NULL,
	`discount_type` varchar(16) NOT NULL,
	`amount` decimal(14,4) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`used_at` datetime(3),
	`removed_at` datetime(3),
	CONSTRAINT `coupons_id` PRIMARY KEY(`id`),
	CONSTRAINT `coupons_code` UNIQUE(`shop_id`,`code`),
	CONSTRAINT `coupons_once` UNIQUE(`shop_id`,`customer_key`,`issued_for`)
);
--> statement-breakpoint
CREATE INDEX `coupons_expiry` ON `coupons` (`shop_id`,`expires_at`);