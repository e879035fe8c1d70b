// The seed and run count of every fuzz property, so that any failure can be re-run exactly.
import fc from "fast-check";

const given = (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env
  ?.FUZZ_SEED;

/** The seed of this run: `FUZZ_SEED` when set, otherwise taken from the clock. */
export const FUZZ_SEED =
  given !== undefined && /^-?\d+$/.test(given.trim())
    ? Number(given.trim()) | 0
    : Date.now() % 2_147_483_647;

console.log(`fuzz seed ${FUZZ_SEED} (re-run with FUZZ_SEED=${FUZZ_SEED})`);

/**
 * Checks an async property for `numRuns` runs from the run's seed. A failure names the seed,
 * the shrunk counterexample and how to replay it.
 */
export async function fuzz<T>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<T>,
  numRuns: number,
): Promise<void> {
  const details = await fc.check(property, { seed: FUZZ_SEED, numRuns, verbose: 1 });
  if (!details.failed) return;
  const full = fc.defaultReportMessage(details) ?? "the property failed";
  // Oversize counterexamples would bury the seed; the head of the report holds what matters.
  const report = full.length > 8_000 ? `${full.slice(0, 8_000)}… (${full.length} chars)` : full;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `fuzz "${name}" failed: ${cause.slice(0, 2_000)}\nseed FUZZ_SEED=${FUZZ_SEED} (re-run: FUZZ_SEED=${FUZZ_SEED} ` +
      `npx vitest run --project integration test/fuzz)\n${report}`,
  );
}
