// The wording of recipe validation messages: how a value is described and how a field list reads.
import { z } from "zod";

/** Describes a value the way a person reads it in a message: `7200`, `"2GB"`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const quoted = JSON.stringify(value);
    return quoted.length > 42 ? `${quoted.slice(0, 40)}…"` : quoted;
  }
  return String(value);
}

/** The ` (got …)` that ends a message about a wrong value. */
export function got(value: unknown): string {
  return ` (got ${describeValue(value)})`;
}

/** Joins words as a sentence does: `a`, `a or b`, `a, b or c`. */
export function listWords(words: readonly string[], conjunction: "and" | "or"): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${conjunction} ${words.at(-1)}`;
}

/** A mapping that refuses unknown keys, naming the fields it does have so a typo is obvious. */
export function strictFields<T extends z.core.$ZodLooseShape>(shape: T, context: string) {
  const fields = listWords(Object.keys(shape), "and");
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys")
        return `is not a ${context} field; the fields are ${fields}`;
      if (issue.code === "invalid_type")
        return `must be a mapping of ${context} fields (${fields})${got(issue.input)}`;
      return undefined;
    },
  });
}
