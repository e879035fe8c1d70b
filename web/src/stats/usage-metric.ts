// What the usage chart can show per day, how to read it off a day, and how to write it.
import type { UsageDay } from "../api/stats.ts";
import { formatCost, formatTokens } from "../ui/format.ts";
import { decimalsOf } from "./chart-scale.ts";

/** A measure of a day's usage. */
export interface UsageMetric {
  id: "prompts" | "cost" | "tokens";
  /** The button's label. */
  label: string;
  /** What one bar means, for the chart's title: "prompts per day". */
  perDay: string;
  value(day: UsageDay): number;
  format(value: number): string;
  /** A gridline's value, precise enough to tell it from its neighbours `step` apart. */
  tick(value: number, step: number): string;
  /** The window's total in words: "12 prompts", "$1.20 spent". */
  total(value: number): string;
  /** Counts get whole-number gridlines. */
  integer: boolean;
}

/** The measures the chart offers, first the default. */
export const USAGE_METRICS: readonly UsageMetric[] = [
  {
    id: "prompts",
    label: "Prompts",
    perDay: "prompts per day",
    value: (day) => day.prompts,
    format: (value) => String(value),
    tick: (value) => String(value),
    total: (value) => `${value} ${value === 1 ? "prompt" : "prompts"}`,
    integer: true,
  },
  {
    id: "cost",
    label: "Cost",
    perDay: "model cost per day",
    value: (day) => day.costUsd,
    format: formatCost,
    tick: (value, step) =>
      value === 0 ? "$0" : `$${value.toFixed(Math.max(2, decimalsOf(step)))}`,
    total: (value) => `${formatCost(value)} spent`,
    integer: false,
  },
  {
    id: "tokens",
    label: "Tokens",
    perDay: "tokens (input and output) per day",
    value: (day) => day.inputTokens + day.outputTokens,
    format: formatTokens,
    tick: (value) => formatTokens(value),
    total: (value) => `${formatTokens(value)} tokens`,
    integer: true,
  },
];

/** A `YYYY-MM-DD` day as people read it: "Mar 9". */
export function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString([], {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
}
