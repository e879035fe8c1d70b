// D1 with its transient failures retried: a lost connection, an object reset, a busy or overloaded
// database. What still fails after the retries becomes `unavailable` (503, retryable) with a
// message a person understands, never a bare 500; other errors pass through untouched.
import { TandemError } from "../../protocol/errors.ts";

/** How patiently a D1 call is retried. */
export interface D1RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export const D1_RETRY: D1RetryPolicy = { attempts: 4, baseDelayMs: 40 };

/** Failures D1 documents (or SQLite reports) as passing: another attempt may succeed. */
const TRANSIENT = [
  "Network connection lost",
  "storage caused object to be reset",
  "reset because its code was updated",
  "is overloaded",
  "database is locked",
  "SQLITE_BUSY",
  "storage operation exceeded timeout",
];

export function isTransientD1Error(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return TRANSIENT.some((marker) => text.includes(marker));
}

async function withRetries<T>(policy: D1RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isTransientD1Error(error)) throw error;
      if (attempt >= policy.attempts) {
        throw new TandemError(
          "unavailable",
          "The database is busy right now and did not answer after several tries; try again in a moment.",
        );
      }
      const delay = policy.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
    }
  }
}

/** A statement whose reads and writes are retried; `bind` keeps the wrapping. */
class RetryingStatement {
  readonly inner: D1PreparedStatement;
  private readonly policy: D1RetryPolicy;
  constructor(inner: D1PreparedStatement, policy: D1RetryPolicy) {
    this.inner = inner;
    this.policy = policy;
  }
  bind(...values: unknown[]): D1PreparedStatement {
    return wrap(this.inner.bind(...values), this.policy);
  }
  first(column?: string) {
    return withRetries(this.policy, () =>
      column === undefined ? this.inner.first() : this.inner.first(column),
    );
  }
  run() {
    return withRetries(this.policy, () => this.inner.run());
  }
  all() {
    return withRetries(this.policy, () => this.inner.all());
  }
  raw(options?: { columnNames?: boolean }) {
    return withRetries(this.policy, () =>
      options?.columnNames ? this.inner.raw({ columnNames: true }) : this.inner.raw(),
    );
  }
}

function wrap(inner: D1PreparedStatement, policy: D1RetryPolicy): D1PreparedStatement {
  return new RetryingStatement(inner, policy) as unknown as D1PreparedStatement;
}

const innerOf = (statement: D1PreparedStatement): D1PreparedStatement =>
  statement instanceof RetryingStatement ? statement.inner : statement;

/** The binding with every statement and batch retried per `policy`. */
export function retryingD1(binding: D1Database, policy: D1RetryPolicy = D1_RETRY): D1Database {
  const wrapped = {
    prepare: (query: string) => wrap(binding.prepare(query), policy),
    // A batch is one transaction: retrying it whole cannot apply half of it twice.
    batch: (statements: D1PreparedStatement[]) =>
      withRetries(policy, () => binding.batch(statements.map(innerOf))),
    exec: (query: string) => withRetries(policy, () => binding.exec(query)),
    dump: () => binding.dump(),
    withSession: (constraint?: string) => binding.withSession(constraint),
  };
  return wrapped as unknown as D1Database;
}
