CREATE TABLE `order_imports` (
	`shop_id` bigint unsigned NOT NULL,
	`status` varchar(16) NOT NULL,
	`next_page` int NOT NULL DEFAULT 1,
	`total_pages` int,
	`total_orders` int,
	`imported` int NOT NULL DEFAULT 0,
	`last_error` text,
	`started_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	`finished_at` datetime(3),
	CONSTRAINT `order_imports_shop_id` PRIMARY KEY(`shop_id`)
);
