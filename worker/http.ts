// Shared pieces of the HTTP edge: the context type, input validation and error responses.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { TandemError, type ErrorBody, type Result } from "../protocol/errors.ts";
import type { Deps } from "./deps.ts";
import type { User } from "./users/users.ts";

/** How a request was authenticated. */
export type AuthVia = { kind: "cookie"; browserSessionId: string } | { kind: "token" };

/** The Hono environment of every route. */
export type AppEnv = {
  Bindings: Env;
  Variables: { deps: Deps; user: User; via: AuthVia };
};

/** The Hono context of every route. */
export type AppContext = Context<AppEnv>;

/** Reads and validates a JSON body; invalid or missing bodies become `invalid_input`. */
export async function jsonBody<S extends z.ZodType>(c: AppContext, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new TandemError("invalid_input", "The request body must be JSON.");
  }
  return parse(schema, body, "body");
}

/** Validates a value against a schema, naming the first problem in the error. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  throw new TandemError(
    "invalid_input",
    `Invalid ${what}${where}: ${issue?.message ?? "invalid value"}.`,
  );
}

/** The value of a successful result; a failure is thrown for `onError` to answer. */
export function orThrow<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new TandemError(result.error.code, result.error.message);
}

/** The JSON error response for an error code and message. */
export function errorResponse(c: Context, error: TandemError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  return c.json(body, error.status as ContentfulStatusCode);
}
