// Where the Containers provider keeps what outlives a container: image and snapshot archives, their
// records, and the index of live sandboxes. An R2 bucket in production; the port is what the
// provider needs of it.

/** A stored object's bytes. */
export interface StoredBlob {
  body: ReadableStream<Uint8Array>;
  size: number;
}

/** Keys and values; listing is by key prefix and strongly consistent, as R2's is. */
export interface BlobStore {
  /** Stores a text, or a stream of `length` bytes (streamed, never held whole in memory). */
  put(key: string, value: string | ReadableStream<Uint8Array>, length?: number): Promise<void>;
  get(key: string): Promise<StoredBlob | null>;
  getText(key: string): Promise<string | null>;
  delete(keys: string[]): Promise<void>;
  /** Every key under the prefix. */
  list(prefix: string): Promise<string[]>;
}

/** The part of R2Bucket the store uses. */
export type R2Like = Pick<R2Bucket, "put" | "get" | "delete" | "list">;

/** A BlobStore over an R2 bucket. */
export function r2BlobStore(bucket: R2Like): BlobStore {
  return {
    async put(key, value, length) {
      if (typeof value === "string") {
        await bucket.put(key, value);
        return;
      }
      // R2 takes a stream only when its length is known up front.
      if (length === undefined || !Number.isFinite(length)) {
        await bucket.put(key, await new Response(value).arrayBuffer());
        return;
      }
      const fixed = new FixedLengthStream(length);
      const piped = value.pipeTo(fixed.writable);
      await Promise.all([bucket.put(key, fixed.readable), piped]);
    },
    async get(key) {
      const object = await bucket.get(key);
      return object ? { body: object.body, size: object.size } : null;
    },
    async getText(key) {
      const object = await bucket.get(key);
      return object ? object.text() : null;
    },
    async delete(keys) {
      if (keys.length > 0) await bucket.delete(keys);
    },
    async list(prefix) {
      const keys: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
        keys.push(...page.objects.map((o) => o.key));
        if (!page.truncated) return keys;
        cursor = page.cursor;
      }
    },
  };
}
