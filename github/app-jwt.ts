// The GitHub App's own identity: a short RS256 JWT signed with the App's private key (PKCS#8 PEM,
// the form WebCrypto imports in workerd), exchanged for installation tokens per operation.
import { base64url } from "../crypto/digest.ts";

const encoder = new TextEncoder();

/** How long an App JWT lives; GitHub accepts at most ten minutes. */
const JWT_LIFETIME_S = 9 * 60;
/** Issued a minute early, for clocks that run behind GitHub's. */
const CLOCK_SKEW_S = 60;

/** Imports a PKCS#8 PEM private key for RS256 signing; a PKCS#1 key gets a message saying how to convert it. */
export async function importAppKey(pem: string): Promise<CryptoKey> {
  if (pem.includes("BEGIN RSA PRIVATE KEY")) {
    throw new Error(
      "The GitHub App private key is PKCS#1; convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`.",
    );
  }
  const body = pem
    .replace(/-----BEGIN PRIVATE KEY-----/, "")
    .replace(/-----END PRIVATE KEY-----/, "")
    .replace(/\s+/g, "");
  const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey(
    "pkcs8",
    der,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/** A JWT that authenticates as the App (`iss` is the App id) at `nowMs`. */
export async function appJwt(appId: string, key: CryptoKey, nowMs: number): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  const header = base64url(encoder.encode(JSON.stringify({ alg: "RS256", typ: "JWT" })));
  const payload = base64url(
    encoder.encode(
      JSON.stringify({ iat: now - CLOCK_SKEW_S, exp: now + JWT_LIFETIME_S, iss: appId }),
    ),
  );
  const signature = await crypto.subtle.sign(
    "RSASSA-PKCS1-v1_5",
    key,
    encoder.encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
}
