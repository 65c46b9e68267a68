CREATE TABLE `link_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`url` text NOT NULL,
	`source` text NOT NULL,
	`last_checked_at` text,
	`last_status` integer,
	`last_error` text,
	`failing_since` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_checks_account_url_uq` ON `link_checks` (`account_id`,`url`);--> statement-breakpoint
CREATE INDEX `link_checks_checked_idx` ON `link_checks` (`last_checked_at`);--> statement-breakpoint
CREATE TABLE `published_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`government_org_id` text NOT NULL,
	`year` integer NOT NULL,
	`quarter` integer NOT NULL,
	`snapshot` text NOT NULL,
	`published_at` text NOT NULL,
	`published_by` text,
	`unpublished_at` text,
	`unpublished_by` text
);
--> statement-breakpoint
CREATE INDEX `published_notices_unit_idx` ON `published_notices` (`government_org_id`,`year`,`quarter`);--> statement-breakpoint
CREATE TABLE `score_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`item` text NOT NULL,
	`points` real NOT NULL,
	`effective_from` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE INDEX `score_rules_org_idx` ON `score_rules` (`org_id`);