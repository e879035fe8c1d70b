// Reading a spend limit typed in dollars: empty means no limit.
import { SpendLimitSchema } from "../../../protocol/api.ts";

/** The limit typed, as dollars (null: no limit), or why it cannot be used. */
export type SpendLimitInput = { ok: true; usd: number | null } | { ok: false; problem: string };

/** Reads "5", "$12.50" or "" (no limit); the rules are the API's: above $0, at most $10,000. */
export function parseSpendLimit(text: string): SpendLimitInput {
  const cleaned = text
    .trim()
    .replace(/^\$\s*/, "")
    .replace(/,/g, "");
  if (!cleaned) return { ok: true, usd: null };
  if (!/^\d*\.?\d+$|^\d+\.$/.test(cleaned))
    return { ok: false, problem: "Write the limit in dollars, e.g. 5 or 12.50." };
  const usd = Number(cleaned);
  if (usd <= 0)
    return { ok: false, problem: "The limit must be more than $0; leave it empty for none." };
  if (!SpendLimitSchema.safeParse(usd).success)
    return { ok: false, problem: "The limit can be at most $10,000." };
  return { ok: true, usd };
}

/** A limit as the field shows it: "" for none, else plain dollars ("5", "12.5"). */
export function spendLimitText(usd: number | null): string {
  return usd === null ? "" : String(usd);
}
