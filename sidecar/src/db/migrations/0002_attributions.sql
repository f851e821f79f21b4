CREATE TABLE `attributions` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`order_id` bigint unsigned NOT NULL,
	`enrollment_id` bigint unsigned NOT NULL,
	`flow` varchar(64) NOT NULL,
	`outbox_id` bigint unsigned,
	`step` smallint,
	`channel` varchar(16),
	`click_id` bigint unsigned,
	`revenue` decimal(14,4) NOT NULL,
	`currency` char(3),
	`paid_at` datetime(3) NOT NULL,
	CONSTRAINT `attributions_id` PRIMARY KEY(`id`),
	CONSTRAINT `attributions_order` UNIQUE(`shop_id`,`order_id`)
);
--> statement-breakpoint
CREATE INDEX `attributions_shop_paid` ON `attributions` (`shop_id`,`paid_at`);