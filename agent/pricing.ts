// What model calls cost: prices per million tokens by model family, and the cost of one call.
import type { Usage } from "../protocol/events.ts";

/** US dollars per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/** Prices by model-name prefix, most specific first. Cache writes cost 1.25× input, reads 0.1×. */
const PRICES: ReadonlyArray<[prefix: string, price: Price]> = [
  ["claude-fable-5", { input: 10, output: 50 }],
  ["claude-opus-5-5", { input: 4, output: 20 }],
  ["claude-opus-5", { input: 5, output: 25 }],
  ["claude-sonnet-5", { input: 2, output: 10 }],
  ["claude-haiku-5", { input: 0.1, output: 0.5 }],
  ["claude-opus-4-1", { input: 15, output: 75 }],
  ["claude-opus-4-0", { input: 15, output: 75 }],
  ["claude-opus-4", { input: 5, output: 25 }],
  ["claude-3-opus", { input: 15, output: 75 }],
  ["claude-sonnet-4", { input: 3, output: 15 }],
  ["claude-3-7-sonnet", { input: 3, output: 15 }],
  ["claude-3-5-sonnet", { input: 3, output: 15 }],
  ["claude-haiku-4", { input: 1, output: 5 }],
  ["claude-3-5-haiku", { input: 0.8, output: 4 }],
  ["claude-3-haiku", { input: 0.25, output: 1.25 }],
];

/** Models we do not know are priced like the older mid-range family (dearer than today's), so limits still hold. */
const FALLBACK: Price = { input: 3, output: 15 };

export function priceOf(model: string): Price {
  return PRICES.find(([prefix]) => model.startsWith(prefix))?.[1] ?? FALLBACK;
}

/** Token counts of one call, as the model server reports them. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export function costOf(model: string, tokens: TokenCounts): number {
  const price = priceOf(model);
  const dollars =
    tokens.inputTokens * price.input +
    tokens.cacheWriteTokens * price.input * 1.25 +
    tokens.cacheReadTokens * price.input * 0.1 +
    tokens.outputTokens * price.output;
  return dollars / 1_000_000;
}

/** The tokens and cost of one call, from the usage the model server reported. */
export function usageOfCall(
  model: string,
  reported: {
    input_tokens: number | null;
    output_tokens: number | null;
    cache_read_input_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
  },
): Usage {
  const tokens = {
    inputTokens: reported.input_tokens ?? 0,
    outputTokens: reported.output_tokens ?? 0,
    cacheReadTokens: reported.cache_read_input_tokens ?? 0,
    cacheWriteTokens: reported.cache_creation_input_tokens ?? 0,
  };
  return { ...tokens, costUsd: costOf(model, tokens) };
}

export const ZERO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
};

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

/** The largest output a call may produce without the session's spend passing `limitUsd`, or 0. */
export function affordableOutputTokens(
  model: string,
  spentUsd: number,
  limitUsd: number,
  estimatedInputTokens: number,
): number {
  const price = priceOf(model);
  const left = limitUsd - spentUsd - (estimatedInputTokens * price.input) / 1_000_000;
  return left <= 0 ? 0 : Math.floor((left * 1_000_000) / price.output);
}
