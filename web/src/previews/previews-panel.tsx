// The session's previews beside the timeline: each published port with an Open link, which signs
// the person in on the preview's own origin, and for owners and collaborators a way to publish or
// close one. Kept current from the timeline, so a preview the agent publishes appears at once.
import "../styles/side-panels.css";
import "../styles/previews.css";
import { useMemo } from "react";
import type { SessionEvent } from "../../../protocol/events.ts";
import { SidePanel } from "../team/side-panel.tsx";
import { ExposePortForm } from "./expose-port-form.tsx";
import { PreviewRow } from "./preview-row.tsx";
import { previewsOf } from "./previews-state.ts";

/** Props of PreviewsPanel. */
export interface PreviewsPanelProps {
  sessionId: string;
  events: readonly SessionEvent[];
  /** Whether this person may publish and close ports (owners and collaborators). */
  canExpose: boolean;
}

/** The Previews panel once the session publishes a port, or, for those who may publish one, once
 * it has a sandbox; nothing otherwise, so a session without servers stays uncluttered. */
export function PreviewsPanel({ sessionId, events, canExpose }: PreviewsPanelProps) {
  const previews = useMemo(() => previewsOf(events), [events]);
  const sandboxed = useMemo(
    () => events.some((event) => event.type === "sandbox.status"),
    [events],
  );
  if (previews.length === 0 && !(canExpose && sandboxed)) return null;
  return (
    <SidePanel
      title="Previews"
      className="previews-panel"
      count={
        previews.length > 0
          ? {
              value: previews.length,
              label: `${previews.length} ${previews.length === 1 ? "preview" : "previews"}`,
            }
          : undefined
      }
    >
      {previews.length > 0 ? (
        <ul className="preview-list" aria-label="Published ports">
          {previews.map((preview) => (
            <PreviewRow
              key={preview.port}
              sessionId={sessionId}
              preview={preview}
              canClose={canExpose}
            />
          ))}
        </ul>
      ) : (
        <p className="muted">
          No previews yet. When the agent starts a web server it publishes the port here, and
          everyone in the session can open it.
        </p>
      )}
      {canExpose ? <ExposePortForm sessionId={sessionId} /> : null}
    </SidePanel>
  );
}
