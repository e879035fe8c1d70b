CREATE TABLE `image_refs` (
	`image_id` text NOT NULL,
	`holder` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`image_id`, `holder`)
);
--> statement-breakpoint
CREATE INDEX `image_refs_holder` ON `image_refs` (`holder`);--> statement-breakpoint
CREATE TABLE `images` (
	`id` text PRIMARY KEY NOT NULL,
	`repo` text NOT NULL,
	`commit` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`error` text,
	`size_bytes` integer,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `images_repo` ON `images` (`repo`,`created_at`);--> statement-breakpoint
CREATE TABLE `repositories` (
	`repo` text PRIMARY KEY NOT NULL,
	`clone_url` text NOT NULL,
	`default_branch` text NOT NULL,
	`recipe` text,
	`warm_pool_size` integer NOT NULL,
	`head_commit` text,
	`checked_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
