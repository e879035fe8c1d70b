// The session's previews as the timeline tells them: published, renamed, closed. Pure, so a
// replayed timeline shows the same panel as a live one.
import type { Person, SessionEvent } from "../../../protocol/events.ts";

/** A published port as the panel shows it. */
export interface PreviewEntry {
  port: number;
  label: string;
  url: string;
  by: "agent" | "person";
  /** Who published it, or whose prompt the agent was working on. */
  actor: Person | null;
}

/** The published ports, lowest first. */
export function previewsOf(events: readonly SessionEvent[]): PreviewEntry[] {
  const ports = new Map<number, PreviewEntry>();
  for (const event of events) {
    if (event.type === "preview.exposed") {
      const { port, label, url, by } = event.data;
      ports.set(port, { port, label, url, by, actor: event.actor });
    } else if (event.type === "preview.closed") {
      ports.delete(event.data.port);
    }
  }
  return [...ports.values()].sort((a, b) => a.port - b.port);
}
