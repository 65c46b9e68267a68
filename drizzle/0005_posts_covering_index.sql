DROP INDEX `posts_account_published_idx`;--> statement-breakpoint
CREATE INDEX `posts_account_published_idx` ON `posts` (`account_id`,`published_at`,`backfill`,`repost`);