CREATE TABLE `agent_messages` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`prompt_id` text NOT NULL,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_messages_prompt` ON `agent_messages` (`prompt_id`,`seq`);--> statement-breakpoint
CREATE TABLE `agent_tool_calls` (
	`tool_use_id` text PRIMARY KEY NOT NULL,
	`prompt_id` text NOT NULL,
	`name` text NOT NULL,
	`input` text NOT NULL,
	`state` text NOT NULL,
	`status` text,
	`output` text,
	`is_error` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `agent_usage` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`prompt_id` text NOT NULL,
	`step` integer NOT NULL,
	`model` text NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cache_read_tokens` integer NOT NULL,
	`cache_write_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_usage_prompt` ON `agent_usage` (`prompt_id`);--> statement-breakpoint
ALTER TABLE `meta` ADD `model` text;--> statement-breakpoint
ALTER TABLE `meta` ADD `spend_limit_usd` real;