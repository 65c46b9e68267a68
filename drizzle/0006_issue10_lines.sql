ALTER TABLE `orgs` ADD `filing_authority_id` text;--> statement-breakpoint
ALTER TABLE `orgs` ADD `aliases` text;--> statement-breakpoint
ALTER TABLE `accounts` ADD `operation_mode` text;--> statement-breakpoint
ALTER TABLE `accounts` ADD `operator` text;--> statement-breakpoint
ALTER TABLE `sampling_rounds` ADD `scope` text DEFAULT 'own' NOT NULL;