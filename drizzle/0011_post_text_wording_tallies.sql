CREATE TABLE `week_tallies` (
	`account_id` text NOT NULL,
	`week` text NOT NULL,
	`items` integer NOT NULL,
	`original_items` integer NOT NULL,
	`pushes` integer NOT NULL,
	`original_pushes` integer NOT NULL,
	`days` integer NOT NULL,
	`original_days` integer NOT NULL,
	`counted_at` text NOT NULL,
	PRIMARY KEY(`account_id`, `week`)
);
--> statement-breakpoint
CREATE TABLE `word_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`wrong` text NOT NULL,
	`key` text NOT NULL,
	`correct` text,
	`kind` text NOT NULL,
	`note` text,
	`created_at` text NOT NULL,
	`created_by` text,
	`deleted_at` text,
	`deleted_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `word_rules_live_uq` ON `word_rules` (`org_id`,`key`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `word_rules_org_idx` ON `word_rules` (`org_id`);--> statement-breakpoint
CREATE TABLE `wording_hits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`post_id` text NOT NULL,
	`key` text NOT NULL,
	`rule_id` text NOT NULL,
	`wrong` text NOT NULL,
	`correct` text,
	`kind` text NOT NULL,
	`field` text NOT NULL,
	`excerpt` text NOT NULL,
	`alert_id` text,
	`found_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wording_hits_post_key_uq` ON `wording_hits` (`post_id`,`key`);--> statement-breakpoint
CREATE INDEX `wording_hits_account_idx` ON `wording_hits` (`account_id`,`found_at`);--> statement-breakpoint
ALTER TABLE `posts` ADD `summary` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `links` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `wording_checked_at` text;--> statement-breakpoint
CREATE INDEX `posts_wording_unchecked_idx` ON `posts` (`published_at`) WHERE wording_checked_at IS NULL;