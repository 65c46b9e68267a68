-- week_tallies is a cache of the posts table: any post added to, changed in or removed from a week
-- drops that account's row for the week, and the next reader counts it again from posts.
-- The week is named by its Monday in Shanghai: date(published_at, '+8 hours', '-6 days', 'weekday 1').
CREATE TRIGGER `posts_week_tally_insert` AFTER INSERT ON `posts` BEGIN
  DELETE FROM `week_tallies` WHERE `account_id` = NEW.`account_id` AND `week` = date(NEW.`published_at`, '+8 hours', '-6 days', 'weekday 1');
END;--> statement-breakpoint
CREATE TRIGGER `posts_week_tally_update` AFTER UPDATE OF `account_id`, `published_at`, `backfill`, `repost` ON `posts` BEGIN
  DELETE FROM `week_tallies` WHERE `account_id` = OLD.`account_id` AND `week` = date(OLD.`published_at`, '+8 hours', '-6 days', 'weekday 1');
  DELETE FROM `week_tallies` WHERE `account_id` = NEW.`account_id` AND `week` = date(NEW.`published_at`, '+8 hours', '-6 days', 'weekday 1');
END;--> statement-breakpoint
CREATE TRIGGER `posts_week_tally_delete` AFTER DELETE ON `posts` BEGIN
  DELETE FROM `week_tallies` WHERE `account_id` = OLD.`account_id` AND `week` = date(OLD.`published_at`, '+8 hours', '-6 days', 'weekday 1');
END;
