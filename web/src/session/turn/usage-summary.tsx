// Tokens and cost of a model's work in one short line.
import type { Usage } from "../../../../protocol/events.ts";
import { formatCost, formatTokens } from "../../ui/format.ts";

/** "12k in · 1.2k out · 40k cached · $0.03", with the full numbers in the tooltip. */
export function UsageSummary({ usage, label }: { usage: Usage; label: string }) {
  const cached = usage.cacheReadTokens + usage.cacheWriteTokens;
  const full =
    `${label}: ${usage.inputTokens} input, ${usage.outputTokens} output, ` +
    `${usage.cacheReadTokens} cache read, ${usage.cacheWriteTokens} cache write tokens; ` +
    `$${usage.costUsd.toFixed(4)}`;
  return (
    <span className="usage-summary" title={full}>
      <span className="visually-hidden">{label}: </span>
      {formatTokens(usage.inputTokens)} in · {formatTokens(usage.outputTokens)} out
      {cached > 0 ? ` · ${formatTokens(cached)} cached` : ""} · {formatCost(usage.costUsd)}
    </span>
  );
}
