ALTER TABLE `outbox` ADD `language` varchar(32);--> statement-breakpoint
ALTER TABLE `outbox` ADD `language_source` varchar(16);--> statement-breakpoint
ALTER TABLE `outbox` ADD `text_language` varchar(32);