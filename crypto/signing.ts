// HMAC-SHA-256 signed values, for cookies that must not be forged.
import { base64url, fromBase64url } from "./digest.ts";

const encoder = new TextEncoder();

/** An HMAC-SHA256 key for signing and verifying with `secret`. */
export async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** `value.signature`, where the signature covers the value. */
export async function sign(value: string, secret: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(value));
  return `${value}.${base64url(new Uint8Array(signature))}`;
}

/** The value of a signed text, or null when the signature does not match. */
export async function unsign(signed: string, secret: string): Promise<string | null> {
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const signature = fromBase64url(signed.slice(dot + 1));
  if (!signature) return null;
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    signature,
    encoder.encode(value),
  );
  return valid ? value : null;
}
