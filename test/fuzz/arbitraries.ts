// Input generators shared by the fuzz properties: hostile values, strings near limits, headers,
// query strings, path segments and request bodies.
import fc from "fast-check";

/** Printable ASCII, the only text a header value can always carry. */
export const headerText = (maxLength = 80): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    maxLength,
  });

/** Any JSON value, including deep and unicode-heavy ones. */
export const jsonValue: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4 });

/** A value of the wrong kind for whatever field it lands in. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5),
  fc.constantFrom("", " ", "\u0000", "null", "true", "{}", "[]", "__proto__"),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** A string whose length (in characters of a random width) sits a few steps either side of `limit`. */
export const stringNear = (limit: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.integer({ min: Math.max(0, limit - 2), max: limit + 2 }),
      fc.constantFrom("a", " ", "é", "😀", "\u0000", "-"),
    )
    .map(([length, unit]) => unit.repeat(length));

/** A field of a body: usually a plausible value, sometimes wrong-typed, empty or oversize. */
export function field(good: fc.Arbitrary<unknown>, limit?: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: good, weight: 3 },
    { arbitrary: wrongType, weight: 3 },
    { arbitrary: stringNear(limit ?? 200), weight: 1 },
  );
}

/** An object body built from field generators, each key possibly missing, plus stray keys. */
export function shapedBody(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 12 }), jsonValue, { maxKeys: 2 }),
    )
    .map(([known, stray]) => ({ ...stray, ...known }));
}

/** A raw request body: JSON of a shaped or arbitrary value, or text that is not JSON at all. */
export function rawBody(shaped: fc.Arbitrary<unknown>): fc.Arbitrary<string | undefined> {
  const asJson = (value: unknown) => {
    try {
      return JSON.stringify(value);
    } catch {
      return "{}";
    }
  };
  return fc.oneof(
    { arbitrary: shaped.map(asJson), weight: 6 },
    { arbitrary: jsonValue.map(asJson), weight: 2 },
    { arbitrary: fc.anything().map(asJson), weight: 1 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 200 }), weight: 1 },
    {
      arbitrary: fc.constantFrom(undefined, "", "{", "}", "null", "[]", '{"a":', "\u0000", "{}".repeat(50)),
      weight: 1,
    },
  );
}

/** A Content-Type header, right, wrong or absent. */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      undefined,
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=utf-16",
      "application/octet-stream",
      ";;;",
    ),
    weight: 2,
  },
  { arbitrary: headerText(40), weight: 1 },
);

/** A query string built from keys the API reads and keys it does not, with hostile values. */
export const queryString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(""), weight: 2 },
  {
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom("after", "limit", "q", "days", "returnTo", "code", "state", "error"),
            fc.string({ maxLength: 10 }),
          ),
          fc.oneof(
            fc.constantFrom("-1", "0", "1", "NaN", "Infinity", "1e400", "0x10", "1.5", "", " ", "366"),
            fc.integer().map(String),
            fc.string({ maxLength: 30 }),
            stringNear(200),
          ),
        ),
        { maxLength: 4 },
      )
      .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
    weight: 6,
  },
  { arbitrary: fc.constantFrom("?", "?&&&", "?%", "?a=%zz", "?after=1&after=2", "?=x"), weight: 1 },
);

/** A path segment: random, percent-encoded, or broken on purpose. */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom("%", "%zz", "%E0%A4%A", "..", ".", "%2F", "%00", "ses_", "ses_0", "x".repeat(300)),
  fc.stringMatching(/^ses_[0-9a-z]{26}$/),
  fc.stringMatching(/^[a-z]{3}_[0-9a-z]{0,30}$/),
);

/** Any HTTP method the API might be called with. */
export const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
