CREATE TABLE `consent_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`purpose` varchar(16) NOT NULL,
	`channel` varchar(16) NOT NULL,
	`address` varchar(255) NOT NULL,
	`status` varchar(16) NOT NULL,
	`source` varchar(32) NOT NULL,
	`text` varchar(1000),
	`ip_hash` char(64),
	`user_id` bigint unsigned,
	`import_batch` varchar(36),
	`outbox_id` bigint unsigned,
	`reason` varchar(500),
	`claimed_at` datetime(3),
	`changed_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`applied` boolean NOT NULL DEFAULT true,
	`refusal` varchar(255),
	CONSTRAINT `consent_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `consents` DROP INDEX `consents_address`;--> statement-breakpoint
ALTER TABLE `consents` ADD `purpose` varchar(16) NOT NULL;--> statement-breakpoint
ALTER TABLE `consents` ADD `ip_hash` char(64);--> statement-breakpoint
ALTER TABLE `consents` ADD `user_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `consents` ADD `import_batch` varchar(36);--> statement-breakpoint
ALTER TABLE `consents` ADD `reason` varchar(500);--> statement-breakpoint
ALTER TABLE `consents` ADD `claimed_at` datetime(3);--> statement-breakpoint
ALTER TABLE `consents` ADD `log_id` bigint unsigned;--> statement-breakpoint
-- Existing consents, honestly: the checkout box was for cart reminders (cart only); a START or
-- another grant was for messages on that channel (marketing); a withdrawal covered everything on
-- that channel (every purpose); a bounce keeps cart and marketing mail from the address.
UPDATE `consents` SET `purpose` = IF(`status` = 'granted' AND `source` <> 'checkout', 'marketing', 'cart'), `claimed_at` = `changed_at`,
  `source` = CASE `source` WHEN 'one-click' THEN 'unsubscribe' WHEN 'page' THEN 'unsubscribe' WHEN 'sms-keyword' THEN 'keyword'
    WHEN 'whatsapp-keyword' THEN 'keyword' ELSE `source` END;--> statement-breakpoint
INSERT INTO `consents` (`shop_id`, `purpose`, `channel`, `address`, `status`, `source`, `text`, `outbox_id`, `claimed_at`, `changed_at`)
  SELECT k.`shop_id`, p.`purpose`, k.`channel`, k.`address`, k.`status`, k.`source`, k.`text`, k.`outbox_id`, k.`claimed_at`, k.`changed_at`
  FROM `consents` k JOIN (SELECT 'order' AS `purpose` UNION ALL SELECT 'marketing') p
    ON k.`status` = 'withdrawn' OR (k.`status` = 'bounced' AND p.`purpose` = 'marketing')
  WHERE k.`purpose` = 'cart';--> statement-breakpoint
INSERT INTO `consent_log` (`shop_id`, `purpose`, `channel`, `address`, `status`, `source`, `text`, `outbox_id`, `claimed_at`, `changed_at`, `applied`)
  SELECT `shop_id`, `purpose`, `channel`, `address`, `status`, `source`, `text`, `outbox_id`, `claimed_at`, `changed_at`, true FROM `consents` ORDER BY `id`;--> statement-breakpoint
UPDATE `consents` k JOIN `consent_log` l ON l.`shop_id` = k.`shop_id` AND l.`address` = k.`address` AND l.`channel` = k.`channel` AND l.`purpose` = k.`purpose`
  SET k.`log_id` = l.`id`;--> statement-breakpoint
ALTER TABLE `consents` ADD CONSTRAINT `consents_address` UNIQUE(`shop_id`,`address`,`channel`,`purpose`);--> statement-breakpoint
CREATE INDEX `consent_log_address` ON `consent_log` (`shop_id`,`address`,`changed_at`);