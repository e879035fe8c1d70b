CREATE TABLE `pipelines` (
	`repo` text NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`repo`, `name`)
);
--> statement-breakpoint
CREATE TABLE `role_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`repo` text NOT NULL,
	`pipeline` text NOT NULL,
	`role` text NOT NULL,
	`text` text NOT NULL,
	`source` text NOT NULL,
	`author_id` text,
	`session_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `role_notes_role` ON `role_notes` (`repo`,`pipeline`,`role`,`id`);