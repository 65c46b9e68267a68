CREATE TABLE `post_merges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`merged_post_id` text NOT NULL,
	`into_post_id` text NOT NULL,
	`identity_before` text NOT NULL,
	`identity_after` text NOT NULL,
	`merged_row` text,
	`reason` text NOT NULL,
	`merged_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `post_merges_account_idx` ON `post_merges` (`account_id`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `account_type` text;--> statement-breakpoint
ALTER TABLE `filings` ADD `registration` text;--> statement-breakpoint
ALTER TABLE `feed_state` ADD `dates_unreliable` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `posts` ADD `backfill` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `posts` ADD `repost` integer DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE `accounts` SET `account_type` = 'subscription' WHERE `platform` = 'wechat' AND `account_type` IS NULL;
