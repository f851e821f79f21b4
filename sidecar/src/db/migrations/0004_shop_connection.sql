ALTER TABLE `enrollments` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `webhooks` json;--> statement-breakpoint
ALTER TABLE `shops` ADD `webhooks_checked_at` datetime(3);--> statement-breakpoint
ALTER TABLE `shops` ADD `connection_error` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `demo` boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `enrollments_shop_entered` ON `enrollments` (`shop_id`,`entered_at`);