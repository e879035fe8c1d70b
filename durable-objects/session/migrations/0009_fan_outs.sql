CREATE TABLE `fan_outs` (
	`id` text PRIMARY KEY NOT NULL,
	`author` text NOT NULL,
	`aim` text NOT NULL,
	`targets` text NOT NULL,
	`asked` text NOT NULL,
	`timeout_ms` integer NOT NULL,
	`deadline` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
