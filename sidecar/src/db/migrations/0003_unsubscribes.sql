CREATE TABLE `unsubscribes` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`channel` varchar(16) NOT NULL,
	`address` varchar(255) NOT NULL,
	`source` varchar(32) NOT NULL,
	`outbox_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `unsubscribes_id` PRIMARY KEY(`id`),
	CONSTRAINT `unsubscribes_address` UNIQUE(`shop_id`,`channel`,`address`)
);
