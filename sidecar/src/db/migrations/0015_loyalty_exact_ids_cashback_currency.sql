ALTER TABLE `loyalty_events` MODIFY COLUMN `source_id` varbinary(128) NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_profiles` ADD `cashback_currency` varchar(3);--> statement-breakpoint
-- Until now a cashback balance kept its currency in `currency`.
UPDATE `customer_profiles` SET `cashback_currency` = `currency` WHERE `cashback` IS NOT NULL;