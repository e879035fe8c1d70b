// Signed preview credentials: the one-time link that carries a person from Tandem's origin to a
// preview's, and the cookie the preview's origin keeps. Both are bound to one session, one port,
// one person and an expiry, and signed with the session secret.
import { base64url, fromBase64url, randomSecret } from "../../crypto/digest.ts";
import { z } from "zod";
import { sign, unsign } from "../../crypto/signing.ts";

/** How long a sign-in link to a preview works (it is followed at once, by a redirect). */
export const GRANT_TTL_MS = 60_000;
/** How long a preview's cookie lasts; every request is still checked against the session. */
export const PREVIEW_COOKIE_TTL_MS = 12 * 3_600_000;

/** What a credential says. `nonce` makes a link usable once (the session remembers it). */
export interface PreviewClaims {
  sessionId: string;
  port: number;
  userId: string;
  expiresAt: number;
  nonce: string;
}

/** The claims as signed: a fixed-order array keeps credentials short. */
const ClaimsSchema = z.tuple([z.string(), z.number().int(), z.string(), z.number(), z.string()]);

// The prefix names the kind, so a link is never taken for a cookie or the reverse, and neither
// for the sign-in cookie signed with the same secret (`aus_…`).
type Kind = "pvg" | "pvc";

async function issue(kind: Kind, claims: PreviewClaims, secret: string): Promise<string> {
  const payload = JSON.stringify([
    claims.sessionId,
    claims.port,
    claims.userId,
    claims.expiresAt,
    claims.nonce,
  ]);
  return sign(`${kind}.${base64url(new TextEncoder().encode(payload))}`, secret);
}

async function read(
  kind: Kind,
  text: string,
  secret: string,
  now: number,
): Promise<PreviewClaims | null> {
  if (text.length > 1_000) return null;
  const value = await unsign(text, secret);
  if (!value?.startsWith(`${kind}.`)) return null;
  const bytes = fromBase64url(value.slice(kind.length + 1));
  if (!bytes) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const parsed = ClaimsSchema.safeParse(fields);
  if (!parsed.success) return null;
  const [sessionId, port, userId, expiresAt, nonce] = parsed.data;
  if (expiresAt <= now) return null;
  return { sessionId, port, userId, expiresAt, nonce };
}

/** A sign-in link's token for one person to one preview, valid GRANT_TTL_MS. */
export function issueGrant(
  target: { sessionId: string; port: number; userId: string },
  secret: string,
  now: number,
): Promise<string> {
  return issue(
    "pvg",
    { ...target, expiresAt: now + GRANT_TTL_MS, nonce: randomSecret("n", 16) },
    secret,
  );
}

/** The claims of a sign-in link's token, or null when it is forged, expired or malformed. */
export function readGrant(
  token: string,
  secret: string,
  now: number,
): Promise<PreviewClaims | null> {
  return read("pvg", token, secret, now);
}

/** A preview cookie's value for the person a link signed in, valid PREVIEW_COOKIE_TTL_MS. */
export function issueCookie(grant: PreviewClaims, secret: string, now: number): Promise<string> {
  return issue("pvc", { ...grant, expiresAt: now + PREVIEW_COOKIE_TTL_MS }, secret);
}

/** The claims of a preview cookie, or null when it is forged, expired or malformed. */
export function readCookie(
  value: string,
  secret: string,
  now: number,
): Promise<PreviewClaims | null> {
  return read("pvc", value, secret, now);
}
