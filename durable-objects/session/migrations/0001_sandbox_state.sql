CREATE TABLE `sandbox_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`sandbox_id` text,
	`image_id` text,
	`status` text,
	`last_snapshot_id` text,
	`last_snapshot_image_id` text,
	`commit` text,
	`last_activity_at` integer NOT NULL
);
