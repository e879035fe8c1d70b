CREATE TABLE `build_logs` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`image_id` text NOT NULL,
	`step` text NOT NULL,
	`stream` text NOT NULL,
	`text` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pool_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`repo` text NOT NULL,
	`current_image_id` text,
	`building_image_id` text,
	`building_commit` text,
	`build_started_at` integer
);
--> statement-breakpoint
CREATE TABLE `warm_sandboxes` (
	`sandbox_id` text PRIMARY KEY NOT NULL,
	`image_id` text NOT NULL,
	`created_at` integer NOT NULL
);
