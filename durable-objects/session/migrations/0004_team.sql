CREATE TABLE `mailbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`from_session_id` text NOT NULL,
	`from_name` text NOT NULL,
	`text` text NOT NULL,
	`sent_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`read_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mailbox_id_unique` ON `mailbox` (`id`);--> statement-breakpoint
CREATE TABLE `team_children` (
	`session_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text,
	`repo` text NOT NULL,
	`title` text NOT NULL,
	`state` text NOT NULL,
	`last_turn` text,
	`summary` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `team_children_name_unique` ON `team_children` (`name`);--> statement-breakpoint
CREATE TABLE `team_self` (
	`id` integer PRIMARY KEY NOT NULL,
	`parent_id` text,
	`parent_title` text,
	`parent_repo` text,
	`name` text NOT NULL,
	`role` text,
	`depth` integer NOT NULL,
	`shut_down_at` integer
);
