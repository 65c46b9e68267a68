CREATE TABLE `orgs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`level` text NOT NULL,
	`parent_id` text,
	`path` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orgs_path_idx` ON `orgs` (`path`);--> statement-breakpoint
CREATE INDEX `orgs_parent_idx` ON `orgs` (`parent_id`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`platform` text NOT NULL,
	`name` text NOT NULL,
	`platform_id` text,
	`url` text,
	`feed_url` text,
	`opened_on` text,
	`contact_person` text,
	`contact_phone` text,
	`verified_owner` text,
	`status` text NOT NULL,
	`closing_reason` text,
	`merged_into_id` text,
	`origin` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `accounts_org_idx` ON `accounts` (`org_id`);--> statement-breakpoint
CREATE INDEX `accounts_platform_id_idx` ON `accounts` (`platform`,`platform_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_live_platform_id_uq` ON `accounts` (`platform`,`platform_id`) WHERE platform_id IS NOT NULL AND status IN ('pending','active','suspended','closing');--> statement-breakpoint
CREATE TABLE `filings` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`account_id` text NOT NULL,
	`org_id` text NOT NULL,
	`authority_org_id` text NOT NULL,
	`status` text NOT NULL,
	`changes` text,
	`reason` text,
	`completed` integer,
	`target_account_id` text,
	`submitted_by` text NOT NULL,
	`submitted_at` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`decision_note` text
);
--> statement-breakpoint
CREATE INDEX `filings_account_idx` ON `filings` (`account_id`);--> statement-breakpoint
CREATE INDEX `filings_authority_idx` ON `filings` (`authority_org_id`,`status`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`role` text NOT NULL,
	`label` text NOT NULL,
	`hash` text NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash_unique` ON `tokens` (`hash`);--> statement-breakpoint
CREATE INDEX `tokens_org_idx` ON `tokens` (`org_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_token_id` text,
	`actor_org_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`org_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_org_idx` ON `audit_log` (`org_id`);