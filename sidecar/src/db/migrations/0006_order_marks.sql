ALTER TABLE `enrollments` ADD `mark_until` datetime(3);--> statement-breakpoint
ALTER TABLE `enrollments` ADD `mark_dirty` boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `enrollments_mark_dirty` ON `enrollments` (`mark_dirty`,`shop_id`);