import { describe, expect, it } from "vitest";
import { TandemError } from "../../protocol/errors.ts";
import { isTransientD1Error, retryingD1 } from "./retrying-d1.ts";

const policy = { attempts: 3, baseDelayMs: 1 };

/** A D1 whose calls fail with `message` while `failures` lasts, then answer `value`. */
function flaky(failures: number, message = "D1_ERROR: Network connection lost.") {
  const calls: string[] = [];
  const attempt = <T>(what: string, value: T) => {
    calls.push(what);
    if (failures > 0) {
      failures--;
      return Promise.reject(new Error(message));
    }
    return Promise.resolve(value);
  };
  const statement = (sql: string, params: unknown[] = []): D1PreparedStatement =>
    ({
      sql,
      params,
      bind: (...values: unknown[]) => statement(sql, values),
      all: () => attempt(`all ${sql} ${params.join(",")}`, { results: [{ ok: 1 }] }),
      run: () => attempt(`run ${sql}`, { success: true }),
      first: () => attempt(`first ${sql}`, { ok: 1 }),
      raw: () => attempt(`raw ${sql}`, [[1]]),
    }) as unknown as D1PreparedStatement;
  const binding = {
    prepare: (sql: string) => statement(sql),
    batch: (statements: (D1PreparedStatement & { sql: string })[]) =>
      attempt(`batch ${statements.map((s) => s.sql).join(";")}`, []),
  } as unknown as D1Database;
  return { binding, calls };
}

describe("D1 with transient failures retried", () => {
  it("retries a lost connection and keeps the bound parameters", async () => {
    const { binding, calls } = flaky(2);
    const db = retryingD1(binding, policy);
    const result = await db.prepare("SELECT ?").bind(7).all();
    expect(result.results).toEqual([{ ok: 1 }]);
    expect(calls).toEqual(["all SELECT ? 7", "all SELECT ? 7", "all SELECT ? 7"]);
  });

  it("retries a batch whole, with the original statements", async () => {
    const { binding, calls } = flaky(1, "D1 DB is overloaded. Too many requests queued.");
    const db = retryingD1(binding, policy);
    await db.batch([db.prepare("INSERT a"), db.prepare("INSERT b").bind(1)]);
    expect(calls).toEqual(["batch INSERT a;INSERT b", "batch INSERT a;INSERT b"]);
  });

  it("answers unavailable, with a sentence, once the retries are spent", async () => {
    const { binding, calls } = flaky(10, "SQLITE_BUSY: database is locked");
    const error = await retryingD1(binding, policy)
      .prepare("UPDATE x")
      .run()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TandemError);
    expect(error).toMatchObject({ code: "unavailable" });
    expect((error as Error).message).toContain("The database is busy");
    expect(calls).toHaveLength(3);
  });

  it("passes other errors through at once", async () => {
    const { binding, calls } = flaky(1, "UNIQUE constraint failed: users.login");
    const error = await retryingD1(binding, policy)
      .prepare("INSERT")
      .run()
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain("UNIQUE constraint failed");
    expect(calls).toHaveLength(1);
    expect(isTransientD1Error(new Error("D1_ERROR: Network connection lost."))).toBe(true);
  });
});
