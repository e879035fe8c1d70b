// A BlobStore in memory, for tests: same semantics as the R2 one, lengths checked like R2 does.
import type { BlobStore } from "./blob-store.ts";

/** A working in-memory store; `keys()` shows what it holds. */
export function memoryBlobStore(): BlobStore & { keys(): string[] } {
  const objects = new Map<string, Uint8Array<ArrayBuffer>>();
  return {
    async put(key, value, length) {
      const bytes =
        typeof value === "string"
          ? new TextEncoder().encode(value)
          : new Uint8Array(await new Response(value).arrayBuffer());
      if (length !== undefined && bytes.length !== length)
        throw new Error(`expected ${length} bytes for ${key}, got ${bytes.length}`);
      objects.set(key, bytes);
    },
    async get(key) {
      const bytes = objects.get(key);
      return bytes ? { body: new Response(bytes).body!, size: bytes.length } : null;
    },
    async getText(key) {
      const bytes = objects.get(key);
      return bytes ? new TextDecoder().decode(bytes) : null;
    },
    async delete(keys) {
      for (const key of keys) objects.delete(key);
    },
    async list(prefix) {
      return [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
    keys: () => [...objects.keys()].sort(),
  };
}
