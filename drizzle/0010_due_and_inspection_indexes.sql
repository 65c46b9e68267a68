CREATE INDEX `feed_state_due_idx` ON `feed_state` (`next_due_at`);--> statement-breakpoint
CREATE INDEX `inspections_account_idx` ON `inspections` (`account_id`);