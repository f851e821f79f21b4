ALTER TABLE `shops` ADD `state` varchar(16) DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `shops` ADD `state_reason` varchar(32);--> statement-breakpoint
ALTER TABLE `shops` ADD `state_changed_at` datetime(3);--> statement-breakpoint
ALTER TABLE `shops` ADD `profile_failures` int DEFAULT 0 NOT NULL;