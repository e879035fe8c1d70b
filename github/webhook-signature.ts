// GitHub's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
import { timingSafeEqual } from "../crypto/digest.ts";
import { hmacKey } from "../crypto/signing.ts";

/** The header value GitHub would send for `body` with `secret`. */
export async function webhookSignature(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const key = await hmacKey(secret);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, body));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Whether `header` is the right signature of `body`; compared in constant time. */
export async function verifyWebhookSignature(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
  header: string | null | undefined,
): Promise<boolean> {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  return timingSafeEqual(await webhookSignature(secret, body), header);
}
