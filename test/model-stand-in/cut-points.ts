// Where a body is cut into separate writes: at random, so clients meet frames, `data:` lines and
// UTF-8 characters split across reads, as they do behind real proxies.
import type { Random } from "./random.ts";

/** The largest single write. */
const MAX_WRITE_BYTES = 96;

/**
 * Offsets (strictly inside the body, ascending) at which to cut `body`: sizes between 1 and
 * MAX_WRITE_BYTES favouring small ones, a cut inside about half the multi-byte characters, and
 * every offset in `forced`.
 */
export function cutPoints(
  body: Uint8Array,
  random: Random,
  forced: readonly number[] = [],
): number[] {
  const cuts = new Set<number>();
  for (let at = 0; ;) {
    at += 1 + Math.floor(random() ** 2 * MAX_WRITE_BYTES);
    if (at >= body.length) break;
    cuts.add(at);
  }
  for (let i = 0; i < body.length; i++) {
    // 0b11xxxxxx opens a multi-byte character; cutting right after it splits the character.
    if ((body[i]! & 0xc0) === 0xc0 && random() < 0.5) cuts.add(i + 1);
  }
  for (const at of forced) cuts.add(at);
  return [...cuts].filter((at) => at > 0 && at < body.length).sort((a, b) => a - b);
}

/** The pieces of `body` between the cuts. */
export function cutBody(body: Buffer, cuts: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const at of [...cuts, body.length]) {
    out.push(body.subarray(from, at));
    from = at;
  }
  return out;
}
