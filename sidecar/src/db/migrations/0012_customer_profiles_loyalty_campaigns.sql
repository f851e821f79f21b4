CREATE TABLE `campaigns` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`name` varchar(120) NOT NULL,
	`flow_key` varchar(64) NOT NULL,
	`tags` json NOT NULL,
	`send_at` datetime(3),
	`per_minute` int NOT NULL DEFAULT 60,
	`status` varchar(16) NOT NULL DEFAULT 'draft',
	`audience` int,
	`launched_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `campaigns_id` PRIMARY KEY(`id`),
	CONSTRAINT `campaigns_flow` UNIQUE(`shop_id`,`flow_key`)
);
--> statement-breakpoint
CREATE TABLE `customer_profiles` (
	`shop_id` bigint unsigned NOT NULL,
	`customer_key` varchar(255) NOT NULL,
	`email` varchar(255),
	`phone` varchar(32),
	`first_name` varchar(120),
	`language` varchar(16),
	`time_zone` varchar(64),
	`birth_month` tinyint,
	`birth_day` tinyint,
	`points` decimal(14,2),
	`cashback` decimal(14,2),
	`currency` varchar(3),
	`portal_url` varchar(1024),
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `customer_profiles_pk` UNIQUE(`shop_id`,`customer_key`)
);
--> statement-breakpoint
CREATE TABLE `loyalty_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`source_id` varchar(128) NOT NULL,
	`type` varchar(32) NOT NULL,
	`customer_key` varchar(255) NOT NULL,
	`payload` json NOT NULL,
	`occurred_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `loyalty_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `loyalty_events_source` UNIQUE(`shop_id`,`source_id`)
);
--> statement-breakpoint
CREATE TABLE `nps_responses` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`outbox_id` bigint unsigned NOT NULL,
	`enrollment_id` bigint unsigned,
	`customer_key` varchar(255),
	`score` tinyint NOT NULL,
	`comment` text,
	`answered_at` datetime(3) NOT NULL,
	CONSTRAINT `nps_responses_id` PRIMARY KEY(`id`),
	CONSTRAINT `nps_responses_message` UNIQUE(`outbox_id`)
);
--> statement-breakpoint
ALTER TABLE `coupons` ADD `enrollment_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `coupons` ADD `step` smallint;--> statement-breakpoint
ALTER TABLE `coupons` ADD `order_id` bigint unsigned;--> statement-breakpoint
-- drizzle-kit wrote the key before the column; one statement adds both.
ALTER TABLE `customers` ADD `id` bigint unsigned AUTO_INCREMENT NOT NULL PRIMARY KEY FIRST;--> statement-breakpoint
ALTER TABLE `customers` ADD `last_order_id` bigint unsigned;--> statement-breakpoint
CREATE INDEX `campaigns_due` ON `campaigns` (`status`,`send_at`);--> statement-breakpoint
CREATE INDEX `customer_profiles_birthday` ON `customer_profiles` (`shop_id`,`birth_month`,`birth_day`);--> statement-breakpoint
CREATE INDEX `loyalty_events_customer` ON `loyalty_events` (`shop_id`,`customer_key`,`type`);--> statement-breakpoint
CREATE INDEX `nps_responses_shop` ON `nps_responses` (`shop_id`,`answered_at`);