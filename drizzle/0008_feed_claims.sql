ALTER TABLE `feed_state` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `feed_state` ADD `claimed_until` text;