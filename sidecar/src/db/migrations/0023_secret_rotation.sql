ALTER TABLE `shops` ADD `next_secret` varchar(255);--> statement-breakpoint
ALTER TABLE `shops` ADD `previous_secret` varchar(255);--> statement-breakpoint
ALTER TABLE `shops` ADD `secret_rotated_at` datetime(3);