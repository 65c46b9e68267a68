CREATE TABLE `job_leases` (
	`job` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`run_id` integer,
	`acquired_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `job_runs` ADD `status` text DEFAULT 'running' NOT NULL;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `holder` text;--> statement-breakpoint
CREATE INDEX `job_runs_status_idx` ON `job_runs` (`status`);--> statement-breakpoint
UPDATE `job_runs` SET `status` = CASE WHEN `error` IS NOT NULL THEN 'failed' ELSE 'finished' END WHERE `finished_at` IS NOT NULL;
