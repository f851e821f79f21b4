CREATE TABLE `customer_tags` (
	`shop_id` bigint unsigned NOT NULL,
	`customer_key` varchar(255) NOT NULL,
	`tag` varchar(64) NOT NULL,
	`manual` boolean NOT NULL DEFAULT false,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `customer_tags_pk` UNIQUE(`shop_id`,`customer_key`,`tag`)
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`shop_id` bigint unsigned NOT NULL,
	`customer_key` varchar(255) NOT NULL,
	`email` varchar(255),
	`phone` varchar(32),
	`orders_count` int NOT NULL,
	`total_spent` decimal(14,4) NOT NULL,
	`first_purchase_at` datetime(3) NOT NULL,
	`last_purchase_at` datetime(3) NOT NULL,
	`avg_gap_days` double,
	`expected_next_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `customers_pk` UNIQUE(`shop_id`,`customer_key`)
);
--> statement-breakpoint
CREATE INDEX `customer_tags_tag` ON `customer_tags` (`shop_id`,`tag`);--> statement-breakpoint
CREATE INDEX `customers_last` ON `customers` (`shop_id`,`last_purchase_at`);--> statement-breakpoint
CREATE INDEX `customers_spent` ON `customers` (`shop_id`,`total_spent`);