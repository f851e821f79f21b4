CREATE TABLE `alerts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned,
	`kind` varchar(32) NOT NULL,
	`subject` varchar(64) NOT NULL DEFAULT '',
	`message` varchar(1000) NOT NULL,
	`opened_at` datetime(3) NOT NULL,
	`last_seen_at` datetime(3) NOT NULL,
	`resolved_at` datetime(3),
	`notified_at` datetime(3),
	`open_key` varchar(140),
	CONSTRAINT `alerts_id` PRIMARY KEY(`id`),
	CONSTRAINT `alerts_open` UNIQUE(`open_key`)
);
--> statement-breakpoint
CREATE TABLE `carts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`session_key` varchar(64) NOT NULL,
	`ref` varchar(64) NOT NULL,
	`email` varchar(255),
	`phone` varchar(32),
	`customer_key` varchar(255),
	`first_name` varchar(128),
	`country` char(2),
	`locale` varchar(16),
	`contents` json NOT NULL,
	`total` decimal(14,4) NOT NULL DEFAULT '0',
	`currency` char(3),
	`status` varchar(16) NOT NULL DEFAULT 'open',
	`source` varchar(16) NOT NULL,
	`order_id` bigint unsigned,
	`last_activity_at` datetime(3) NOT NULL,
	`abandoned_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `carts_id` PRIMARY KEY(`id`),
	CONSTRAINT `carts_session` UNIQUE(`shop_id`,`session_key`),
	CONSTRAINT `carts_ref` UNIQUE(`ref`)
);
--> statement-breakpoint
CREATE TABLE `consents` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`channel` varchar(16) NOT NULL,
	`address` varchar(255) NOT NULL,
	`status` varchar(16) NOT NULL,
	`source` varchar(32) NOT NULL,
	`text` varchar(1000),
	`outbox_id` bigint unsigned,
	`changed_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `consents_id` PRIMARY KEY(`id`),
	CONSTRAINT `consents_address` UNIQUE(`shop_id`,`channel`,`address`)
);
--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`channel` varchar(16) NOT NULL,
	`address` varchar(255) NOT NULL,
	`last_inbound_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `conversations_id` PRIMARY KEY(`id`),
	CONSTRAINT `conversations_address` UNIQUE(`shop_id`,`channel`,`address`)
);
--> statement-breakpoint
CREATE TABLE `flow_versions` (
	`shop_id` bigint unsigned NOT NULL,
	`flow_key` varchar(64) NOT NULL,
	`version` int NOT NULL,
	`definition` json NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `flow_versions_pk` UNIQUE(`shop_id`,`flow_key`,`version`)
);
--> statement-breakpoint
CREATE TABLE `flows` (
	`shop_id` bigint unsigned NOT NULL,
	`flow_key` varchar(64) NOT NULL,
	`version` int NOT NULL,
	`enabled` boolean NOT NULL DEFAULT false,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `flows_pk` UNIQUE(`shop_id`,`flow_key`)
);
--> statement-breakpoint
CREATE TABLE `inbound_messages` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`conversation_id` bigint unsigned NOT NULL,
	`provider_message_id` varchar(255) NOT NULL,
	`body` text,
	`kind` varchar(16) NOT NULL,
	`received_at` datetime(3) NOT NULL,
	CONSTRAINT `inbound_messages_id` PRIMARY KEY(`id`),
	CONSTRAINT `inbound_provider_id` UNIQUE(`provider_message_id`)
);
--> statement-breakpoint
CREATE TABLE `message_statuses` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`outbox_id` bigint unsigned NOT NULL,
	`status` varchar(16) NOT NULL,
	`error_code` varchar(32),
	`at` datetime(3) NOT NULL,
	CONSTRAINT `message_statuses_id` PRIMARY KEY(`id`),
	CONSTRAINT `message_statuses_once` UNIQUE(`outbox_id`,`status`)
);
--> statement-breakpoint
CREATE TABLE `step_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`enrollment_id` bigint unsigned NOT NULL,
	`step` smallint NOT NULL,
	`channel` varchar(16),
	`outcome` varchar(32) NOT NULL,
	`detail` varchar(512),
	`outbox_id` bigint unsigned,
	`at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `step_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `enrollments` ADD `held_out` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `enrollments` ADD `anchor_at` datetime(3);--> statement-breakpoint
ALTER TABLE `enrollments` ADD `customer_key` varchar(255);--> statement-breakpoint
ALTER TABLE `outbox` ADD `payload` json;--> statement-breakpoint
ALTER TABLE `outbox` ADD `customer_key` varchar(255);--> statement-breakpoint
ALTER TABLE `outbox` ADD `delivery_status` varchar(16);--> statement-breakpoint
ALTER TABLE `outbox` ADD `delivery_error` varchar(255);--> statement-breakpoint
ALTER TABLE `outbox` ADD `delivery_at` datetime(3);--> statement-breakpoint
CREATE INDEX `alerts_shop` ON `alerts` (`shop_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `carts_open` ON `carts` (`status`,`last_activity_at`);--> statement-breakpoint
CREATE INDEX `carts_customer` ON `carts` (`shop_id`,`customer_key`,`status`);--> statement-breakpoint
CREATE INDEX `inbound_conversation` ON `inbound_messages` (`conversation_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `step_log_enrollment` ON `step_log` (`enrollment_id`,`at`);--> statement-breakpoint
CREATE INDEX `enrollments_customer` ON `enrollments` (`shop_id`,`customer_key`,`status`);--> statement-breakpoint
CREATE INDEX `outbox_customer` ON `outbox` (`shop_id`,`customer_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_provider_id` ON `outbox` (`provider_message_id`);--> statement-breakpoint
INSERT IGNORE INTO `consents` (`shop_id`, `channel`, `address`, `status`, `source`, `outbox_id`, `changed_at`) SELECT `shop_id`, `channel`, `address`, 'withdrawn', `source`, `outbox_id`, `created_at` FROM `unsubscribes`;
--> statement-breakpoint
UPDATE `enrollments` e JOIN `orders` o ON e.`subject_type` = 'order' AND o.`shop_id` = e.`shop_id` AND o.`order_id` = CAST(e.`subject_id` AS UNSIGNED) SET e.`anchor_at` = COALESCE(o.`date_created`, e.`entered_at`), e.`customer_key` = LOWER(o.`email`);
