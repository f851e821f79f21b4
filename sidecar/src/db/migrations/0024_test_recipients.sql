CREATE TABLE `test_recipients` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shop_id` bigint unsigned NOT NULL,
	`channel` varchar(16) NOT NULL,
	`address` varchar(255) NOT NULL,
	`verified_at` datetime(3),
	`code_hash` char(64),
	`code_expires_at` datetime(3),
	`code_attempts` int NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `test_recipients_id` PRIMARY KEY(`id`),
	CONSTRAINT `test_recipients_address` UNIQUE(`shop_id`,`address`)
);
