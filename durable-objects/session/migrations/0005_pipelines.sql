CREATE TABLE `pipeline_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`kind` text NOT NULL,
	`role` text NOT NULL,
	`message` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pipeline_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`pipeline` text NOT NULL,
	`definition` text NOT NULL,
	`request` text NOT NULL,
	`started_by` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipeline_runs_client_id_unique` ON `pipeline_runs` (`client_id`);--> statement-breakpoint
CREATE TABLE `role_turns` (
	`client_id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`role` text NOT NULL,
	`round` integer NOT NULL,
	`handoff` text
);
