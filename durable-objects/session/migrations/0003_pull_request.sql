CREATE TABLE `pull_request` (
	`id` integer PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`url` text NOT NULL,
	`branch` text NOT NULL,
	`state` text NOT NULL,
	`opened_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
