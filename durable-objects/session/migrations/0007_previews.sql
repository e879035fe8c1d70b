CREATE TABLE `preview_grants` (
	`nonce` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `preview_ports` (
	`port` integer PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`by` text NOT NULL,
	`exposed_by` text,
	`message_id` text,
	`exposed_at` integer NOT NULL,
	`sandbox_id` text
);
