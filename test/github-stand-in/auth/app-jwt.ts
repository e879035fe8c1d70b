// The App's JSON web token: RS256, signed with the App's private key, `iss` the App id (or its
// client id), valid for at most ten minutes, as GitHub checks it.
import { verify, type KeyObject } from "node:crypto";

/** The longest lifetime GitHub accepts, plus a minute of clock drift. */
const MAX_LIFETIME_SECONDS = 10 * 60 + 60;
const DRIFT_SECONDS = 60;

/** Why a token that looks like a JWT is refused (GitHub answers these with 401), or null. */
export function appJwtProblem(
  token: string,
  app: { id: number; clientId: string; publicKey: KeyObject },
  nowMs: number,
): string | null {
  const parts = token.split(".");
  if (parts.length !== 3) return "A JSON web token could not be decoded";
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
  } catch {
    return "A JSON web token could not be decoded";
  }
  if (header.alg !== "RS256") return "A JSON web token could not be decoded (alg must be RS256)";
  const signed = verify(
    "RSA-SHA256",
    Buffer.from(`${headerPart}.${payloadPart}`),
    app.publicKey,
    Buffer.from(signaturePart, "base64url"),
  );
  if (!signed)
    return "A JSON web token could not be decoded (the signature does not match the App's key)";
  if (String(payload.iss) !== String(app.id) && payload.iss !== app.clientId)
    return "Integration not found (the 'iss' claim is not this App's id or client id)";
  const nowSeconds = nowMs / 1000;
  if (typeof payload.iat !== "number" || payload.iat > nowSeconds + DRIFT_SECONDS)
    return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
  if (typeof payload.exp !== "number" || payload.exp <= nowSeconds)
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  if (payload.exp > nowSeconds + MAX_LIFETIME_SECONDS)
    return "'Expiration time' claim ('exp') is too far in the future";
  return null;
}
