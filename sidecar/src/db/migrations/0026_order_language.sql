ALTER TABLE `orders` ADD `language` varchar(32);--> statement-breakpoint
ALTER TABLE `orders` ADD `customer_locale` varchar(32);