ALTER TABLE `tokens` ADD `expires_at` text;--> statement-breakpoint
ALTER TABLE `tokens` ADD `last_used_at` text;