CREATE TABLE `privacy_salts` (
	`shop_id` bigint unsigned NOT NULL,
	`salt` char(64) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `privacy_salts_shop_id` PRIMARY KEY(`shop_id`)
);
--> statement-breakpoint
CREATE TABLE `retention_marks` (
	`shop_id` bigint unsigned NOT NULL,
	`rule` varchar(32) NOT NULL,
	`pruned_until` datetime(3) NOT NULL,
	CONSTRAINT `retention_marks_shop_id_rule_pk` PRIMARY KEY(`shop_id`,`rule`)
);
--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`address_hash` char(64) NOT NULL,
	`reason` varchar(32) NOT NULL DEFAULT 'erased',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `suppressions_id` PRIMARY KEY(`id`),
	CONSTRAINT `suppressions_hash` UNIQUE(`shop_id`,`address_hash`)
);
--> statement-breakpoint
CREATE INDEX `carts_activity` ON `carts` (`shop_id`,`last_activity_at`);--> statement-breakpoint
CREATE INDEX `clicks_at` ON `clicks` (`clicked_at`);--> statement-breakpoint
CREATE INDEX `events_received` ON `events` (`shop_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `inbound_received` ON `inbound_messages` (`received_at`);--> statement-breakpoint
CREATE INDEX `step_log_at` ON `step_log` (`at`);