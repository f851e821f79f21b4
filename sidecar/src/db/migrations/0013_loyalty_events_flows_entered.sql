ALTER TABLE `loyalty_events` ADD `flows_entered_at` datetime(3);--> statement-breakpoint
CREATE INDEX `loyalty_events_pending` ON `loyalty_events` (`flows_entered_at`,`created_at`);--> statement-breakpoint
-- Events stored before this column were entered into their flows as they arrived.
UPDATE `loyalty_events` SET `flows_entered_at` = `created_at`;