CREATE TABLE `routing_spaces` (
	`org` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`repo` text NOT NULL,
	`environment` text,
	`purpose` text NOT NULL,
	`coverage` text NOT NULL,
	`source` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`org`, `name`)
);
