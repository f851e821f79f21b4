ALTER TABLE `outbox` ADD `link_ref` varchar(64);--> statement-breakpoint
ALTER TABLE `outbox` ADD CONSTRAINT `outbox_link_ref` UNIQUE(`link_ref`);