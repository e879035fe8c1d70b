// The session's spend so far, its model and limit, and whether it runs on the rehearsal model.
import { formatCost } from "../ui/format.ts";
import { RehearsalBadge } from "./turn/rehearsal-badge.tsx";
import { UsageSummary } from "./turn/usage-summary.tsx";
import type { AgentState } from "./turn-state.ts";

/** A short line for the session header; nothing until the agent has worked or settings are known. */
export function SessionUsage({ agent }: { agent: AgentState }) {
  const { sessionUsage, settings, rehearsal } = agent;
  const used = sessionUsage && sessionUsage.inputTokens + sessionUsage.outputTokens > 0;
  if (!used && !settings && !rehearsal) return null;
  return (
    <span className="session-usage">
      {settings ? <span className="mono">{settings.model}</span> : null}
      {sessionUsage && used ? <UsageSummary usage={sessionUsage} label="Session total" /> : null}
      {settings?.spendLimitUsd != null ? (
        <span>limit {formatCost(settings.spendLimitUsd)}</span>
      ) : null}
      {rehearsal ? <RehearsalBadge /> : null}
    </span>
  );
}
