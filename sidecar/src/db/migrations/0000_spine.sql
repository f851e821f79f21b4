CREATE TABLE `agenda_jobs` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(191) NOT NULL,
	`priority` int NOT NULL DEFAULT 0,
	`next_run_at` datetime(3),
	`type` varchar(16) NOT NULL DEFAULT 'normal',
	`locked_at` datetime(3),
	`last_run_at` datetime(3),
	`last_finished_at` datetime(3),
	`failed_at` datetime(3),
	`fail_count` int,
	`fail_reason` text,
	`repeat_interval` varchar(255),
	`repeat_timezone` varchar(64),
	`repeat_at` varchar(64),
	`start_date` datetime(3),
	`end_date` datetime(3),
	`skip_days` varchar(32),
	`data` json,
	`disabled` boolean NOT NULL DEFAULT false,
	`progress` double,
	`fork` boolean NOT NULL DEFAULT false,
	`last_modified_by` varchar(255),
	`debounce_started_at` datetime(3),
	`single_name` varchar(191) GENERATED ALWAYS AS ((CASE WHEN `type` = 'single' THEN `name` END)) STORED,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `agenda_jobs_id` PRIMARY KEY(`id`),
	CONSTRAINT `agenda_jobs_single` UNIQUE(`single_name`)
);
--> statement-breakpoint
CREATE TABLE `clicks` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`outbox_id` bigint unsigned NOT NULL,
	`enrollment_id` bigint unsigned,
	`kind` varchar(16) NOT NULL,
	`user_agent` varchar(512),
	`clicked_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `clicks_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`flow` varchar(64) NOT NULL,
	`flow_version` int NOT NULL DEFAULT 1,
	`subject_type` varchar(16) NOT NULL,
	`subject_id` varchar(64) NOT NULL,
	`status` varchar(16) NOT NULL DEFAULT 'active',
	`step` smallint NOT NULL DEFAULT 0,
	`next_step_at` datetime(3),
	`locked_at` datetime(3),
	`locked_by` varchar(255),
	`exit_reason` varchar(64),
	`entered_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`exited_at` datetime(3),
	CONSTRAINT `enrollments_id` PRIMARY KEY(`id`),
	CONSTRAINT `enrollments_subject` UNIQUE(`shop_id`,`flow`,`subject_type`,`subject_id`)
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned,
	`source` varchar(32) NOT NULL,
	`topic` varchar(64) NOT NULL,
	`resource_id` bigint unsigned,
	`dedup_key` char(64) NOT NULL,
	`body_hash` char(64) NOT NULL,
	`body` longtext NOT NULL,
	`status` varchar(16) NOT NULL DEFAULT 'received',
	`error` text,
	`attempts` smallint NOT NULL DEFAULT 0,
	`received_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`processed_at` datetime(3),
	CONSTRAINT `events_id` PRIMARY KEY(`id`),
	CONSTRAINT `events_dedup` UNIQUE(`dedup_key`)
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`shop_id` bigint unsigned NOT NULL,
	`order_id` bigint unsigned NOT NULL,
	`status` varchar(32) NOT NULL,
	`payment_method` varchar(64),
	`total` decimal(14,4) NOT NULL DEFAULT '0',
	`currency` char(3),
	`email` varchar(255),
	`phone` varchar(32),
	`customer_id` bigint unsigned,
	`created_via` varchar(32),
	`date_paid` datetime(3),
	`date_created` datetime(3),
	`date_modified` datetime(3) NOT NULL,
	`snapshot` json NOT NULL,
	`seen_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `orders_pk` UNIQUE(`shop_id`,`order_id`)
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`idempotency_key` varchar(191) NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`enrollment_id` bigint unsigned,
	`step` smallint,
	`channel` varchar(16) NOT NULL,
	`recipient` varchar(255) NOT NULL,
	`subject` varchar(512),
	`body_html` longtext,
	`body_text` longtext,
	`headers` json,
	`status` varchar(16) NOT NULL DEFAULT 'pending',
	`attempts` smallint NOT NULL DEFAULT 0,
	`next_attempt_at` datetime(3),
	`last_error` text,
	`provider_message_id` varchar(255),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`sent_at` datetime(3),
	CONSTRAINT `outbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `outbox_idempotency` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`shop_id` bigint unsigned NOT NULL,
	`key` varchar(64) NOT NULL,
	`value` json NOT NULL,
	`version` int NOT NULL DEFAULT 1,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `settings_shop_key` UNIQUE(`shop_id`,`key`)
);
--> statement-breakpoint
CREATE TABLE `shops` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`url` varchar(255) NOT NULL,
	`name` varchar(255),
	`consumer_key` varchar(255),
	`consumer_secret` varchar(255),
	`webhook_secret` varchar(255) NOT NULL,
	`timezone` varchar(64) NOT NULL DEFAULT 'UTC',
	`currency` char(3),
	`last_reconciled_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `shops_id` PRIMARY KEY(`id`),
	CONSTRAINT `shops_url` UNIQUE(`url`)
);
--> statement-breakpoint
CREATE INDEX `agenda_jobs_claim` ON `agenda_jobs` (`name`,`disabled`,`locked_at`,`next_run_at`,`priority` DESC);--> statement-breakpoint
CREATE INDEX `agenda_jobs_locked` ON `agenda_jobs` (`name`,`locked_at`);--> statement-breakpoint
CREATE INDEX `agenda_jobs_next_run` ON `agenda_jobs` (`next_run_at`);--> statement-breakpoint
CREATE INDEX `clicks_outbox` ON `clicks` (`outbox_id`);--> statement-breakpoint
CREATE INDEX `clicks_enrollment` ON `clicks` (`enrollment_id`,`clicked_at`);--> statement-breakpoint
CREATE INDEX `enrollments_due` ON `enrollments` (`status`,`next_step_at`);--> statement-breakpoint
CREATE INDEX `events_pending` ON `events` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `events_resource` ON `events` (`shop_id`,`resource_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `orders_modified` ON `orders` (`shop_id`,`date_modified`);--> statement-breakpoint
CREATE INDEX `orders_email` ON `orders` (`shop_id`,`email`);--> statement-breakpoint
CREATE INDEX `outbox_status` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_enrollment` ON `outbox` (`enrollment_id`);--> statement-breakpoint
CREATE INDEX `outbox_shop_created` ON `outbox` (`shop_id`,`created_at`);