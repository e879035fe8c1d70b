// Encryption at rest for credentials (people's GitHub tokens): AES-256-GCM through WebCrypto, with
// a key derived from a configured secret. A sealed value names the key it was sealed with, so the
// secret can be rotated: new values use the current key, old ones still open with the previous.
// The caller's context (e.g. "user:usr_…:github") is bound as additional data, so a sealed value
// copied into another row does not open there.
import { base64url, fromBase64url, sha256Hex } from "./digest.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const VERSION = "v1";

interface BoxKey {
  id: string;
  key: CryptoKey;
}

/** Seals and opens small secrets; build once per configuration. */
export class SecretBox {
  private readonly keys: Promise<BoxKey[]>;

  /** `secrets[0]` seals; every one of them opens (the current first, then previous ones). */
  constructor(secrets: readonly string[]) {
    const usable = secrets.filter((secret) => secret.length > 0);
    if (usable.length === 0) throw new Error("SecretBox needs at least one secret");
    for (const secret of usable) {
      if (secret.length < 32)
        throw new Error("an encryption secret must be at least 32 characters");
    }
    this.keys = Promise.all(usable.map(deriveKey));
  }

  async seal(plaintext: string, context: string): Promise<string> {
    const [current] = await this.keys;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
      current!.key,
      encoder.encode(plaintext),
    );
    return [VERSION, current!.id, base64url(iv), base64url(new Uint8Array(sealed))].join(".");
  }

  /** The plaintext, or null when the value is malformed, sealed with an unknown key, tampered with, or for another context. */
  async open(sealed: string, context: string): Promise<string | null> {
    const [version, keyId, ivText, bodyText] = sealed.split(".");
    if (version !== VERSION || !keyId || !ivText || !bodyText) return null;
    const box = (await this.keys).find((candidate) => candidate.id === keyId);
    const iv = fromBase64url(ivText);
    const body = fromBase64url(bodyText);
    if (!box || !iv || !body || iv.length !== 12) return null;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
        box.key,
        body,
      );
      return decoder.decode(plain);
    } catch {
      return null;
    }
  }

  /** Whether a value was sealed with an older key (re-seal it when convenient). */
  async isStale(sealed: string): Promise<boolean> {
    const [current] = await this.keys;
    return sealed.split(".")[1] !== current!.id;
  }
}

async function deriveKey(secret: string): Promise<BoxKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, [
    "deriveKey",
  ]);
  const key = await crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode("tandem secret box"),
      info: encoder.encode("credentials at rest v1"),
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  // A short public name of the key: which secret sealed a value, without revealing it.
  const id = (await sha256Hex(`tandem key id:${secret}`)).slice(0, 8);
  return { id, key };
}
