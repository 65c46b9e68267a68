CREATE TABLE `inspections` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`account_id` text NOT NULL,
	`result` text NOT NULL,
	`problems` text NOT NULL,
	`notes` text,
	`requirement` text,
	`deadline` text,
	`rectified_at` text,
	`rectification_note` text,
	`inspector` text,
	`inspected_on` text NOT NULL,
	`override_note` text,
	`recorded_by` text,
	`recorded_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspections_round_account_uq` ON `inspections` (`round_id`,`account_id`);--> statement-breakpoint
CREATE TABLE `sampling_items` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`account_id` text NOT NULL,
	`position` integer NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_round_account_uq` ON `sampling_items` (`round_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `items_account_idx` ON `sampling_items` (`account_id`);--> statement-breakpoint
CREATE TABLE `sampling_rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`government_org_id` text NOT NULL,
	`year` integer NOT NULL,
	`quarter` integer NOT NULL,
	`population` text NOT NULL,
	`population_size` integer NOT NULL,
	`rate` real NOT NULL,
	`seed` text NOT NULL,
	`sample_size` integer NOT NULL,
	`minimum_by_rate` integer NOT NULL,
	`minimum_for_coverage` integer NOT NULL,
	`quarter_start` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rounds_unit_quarter_uq` ON `sampling_rounds` (`government_org_id`,`year`,`quarter`);