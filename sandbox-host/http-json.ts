// JSON and NDJSON answers and request validation, shared by the sandbox host's API and the server
// inside each container, which answer the same routes the same way.
import type { ServerResponse } from "node:http";
import type { z } from "zod";
import { SandboxError } from "../sandbox/provider.ts";

/** Answers with `value` as JSON. */
export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}

/** Starts an NDJSON answer and returns a writer of its lines. */
export function ndjson<T>(res: ServerResponse): (line: T) => void {
  res.writeHead(200, { "content-type": "application/x-ndjson" });
  return (line) => void res.write(`${JSON.stringify(line)}\n`);
}

/** Validates a value against a schema, or fails with invalid_input naming the first issue. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new SandboxError(
    "invalid_input",
    `Invalid request${issue?.path.length ? ` at ${issue.path.join(".")}` : ""}: ${issue?.message}.`,
  );
}
