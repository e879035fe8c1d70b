// Prefixed, time-sortable identifiers (`ses_…`, `msg_…`, `usr_…`).

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/** The prefixes in use, one per kind of thing. */
export type IdPrefix =
  | "usr"
  | "tok"
  | "aus"
  | "ses"
  | "msg"
  | "shr"
  | "con"
  | "evt"
  | "img"
  | "sbx"
  | "snp"
  | "mal"
  | "run";

/** Encodes `value` as `length` Crockford base32 characters, most significant first. */
function encodeTime(value: number, length: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** Random Crockford base32 characters from the platform CSPRNG. */
export function randomChars(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const byte of bytes) out += CROCKFORD[byte % 32];
  return out;
}

/** A new id: prefix, 10 characters of millisecond time (sortable), 16 random characters. */
export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  return `${prefix}_${encodeTime(nowMs, 10)}${randomChars(16)}`;
}

/** A pattern matching ids of one prefix, for validating path parameters. */
export function idPattern(prefix: IdPrefix): RegExp {
  return new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`);
}
