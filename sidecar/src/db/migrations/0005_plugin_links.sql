DROP INDEX `clicks_outbox` ON `clicks`;--> statement-breakpoint
ALTER TABLE `shops` ADD `link_base` varchar(255);--> statement-breakpoint
ALTER TABLE `clicks` ADD CONSTRAINT `clicks_outbox_at` UNIQUE(`outbox_id`,`clicked_at`);