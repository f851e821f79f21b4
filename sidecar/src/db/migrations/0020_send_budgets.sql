CREATE TABLE `send_budgets` (
	`shop_id` bigint unsigned NOT NULL,
	`channel` varchar(16) NOT NULL,
	`day` char(10) NOT NULL,
	`used` int NOT NULL DEFAULT 0,
	`held` int NOT NULL DEFAULT 0,
	CONSTRAINT `send_budgets_shop_channel_day` UNIQUE(`shop_id`,`channel`,`day`)
);
