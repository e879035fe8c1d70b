CREATE TABLE `stats_first_responses` (
	`message_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`latency_ms` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stats_first_responses_session` ON `stats_first_responses` (`session_id`,`at`);--> statement-breakpoint
CREATE TABLE `stats_prompts` (
	`message_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`repo` text NOT NULL,
	`author_id` text NOT NULL,
	`submitted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stats_prompts_session` ON `stats_prompts` (`session_id`,`submitted_at`);--> statement-breakpoint
CREATE TABLE `stats_pull_request_events` (
	`session_id` text NOT NULL,
	`repo` text NOT NULL,
	`number` integer NOT NULL,
	`event` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`session_id`, `number`, `event`, `at`)
);
--> statement-breakpoint
CREATE INDEX `stats_pull_request_events_session` ON `stats_pull_request_events` (`session_id`,`at`);--> statement-breakpoint
CREATE TABLE `stats_turn_usage` (
	`message_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cache_read_tokens` integer NOT NULL,
	`cache_write_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stats_turn_usage_session` ON `stats_turn_usage` (`session_id`,`at`);