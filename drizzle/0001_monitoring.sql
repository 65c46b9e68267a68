CREATE TABLE `account_status_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`status` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `status_changes_account_idx` ON `account_status_changes` (`account_id`,`at`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`message` text NOT NULL,
	`detail` text,
	`opened_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`acknowledged_at` text,
	`acknowledged_by` text,
	`resolved_at` text,
	`resolved_by` text,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_open_uq` ON `alerts` (`account_id`,`kind`) WHERE status IN ('open','acknowledged');--> statement-breakpoint
CREATE INDEX `alerts_org_idx` ON `alerts` (`org_id`,`status`);--> statement-breakpoint
CREATE TABLE `feed_coverage` (
	`account_id` text NOT NULL,
	`date` text NOT NULL,
	PRIMARY KEY(`account_id`, `date`)
);
--> statement-breakpoint
CREATE TABLE `feed_state` (
	`account_id` text PRIMARY KEY NOT NULL,
	`feed_url` text NOT NULL,
	`etag` text,
	`last_modified` text,
	`last_attempt_at` text,
	`last_success_at` text,
	`last_error` text,
	`last_error_code` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`next_due_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`at` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`result` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_idx` ON `job_runs` (`job`,`at`);--> statement-breakpoint
CREATE TABLE `policy_overrides` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`key` text NOT NULL,
	`platform` text,
	`value` real NOT NULL,
	`effective_from` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE INDEX `policy_org_idx` ON `policy_overrides` (`org_id`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`identity` text NOT NULL,
	`guid` text,
	`url` text,
	`title` text NOT NULL,
	`published_at` text NOT NULL,
	`date_source` text NOT NULL,
	`source` text NOT NULL,
	`first_seen_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_identity_uq` ON `posts` (`account_id`,`identity`);--> statement-breakpoint
CREATE INDEX `posts_account_published_idx` ON `posts` (`account_id`,`published_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`event_key` text NOT NULL,
	`event` text NOT NULL,
	`notice` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`last_status` integer,
	`delivered_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_event_uq` ON `webhook_deliveries` (`webhook_id`,`event_key`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`url` text NOT NULL,
	`secret` text,
	`events` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE INDEX `webhooks_org_idx` ON `webhooks` (`org_id`);