ALTER TABLE `attributions` ADD `noted` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `clicks` ADD `noted` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `noted` boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `attributions_noted` ON `attributions` (`noted`);--> statement-breakpoint
CREATE INDEX `clicks_noted` ON `clicks` (`noted`);--> statement-breakpoint
CREATE INDEX `outbox_noted` ON `outbox` (`noted`,`status`);--> statement-breakpoint
UPDATE `attributions` SET `noted` = true;--> statement-breakpoint
UPDATE `clicks` SET `noted` = true;--> statement-breakpoint
UPDATE `outbox` SET `noted` = true;
