// One published port: its name and port, who published it, Open, and Close for those who may.
import { closePreview, openPreviewHref } from "../api/previews.ts";
import { displayName } from "../ui/format.ts";
import { useAction } from "../ui/use-action.ts";
import type { PreviewEntry } from "./previews-state.ts";
import { FormError } from "../ui/form-error.tsx";

/** Props of PreviewRow. */
export interface PreviewRowProps {
  sessionId: string;
  preview: PreviewEntry;
  canClose: boolean;
}

/** A preview in the list; Open goes through Tandem, which signs the person in on its origin. */
export function PreviewRow({ sessionId, preview, canClose }: PreviewRowProps) {
  const { busy, error, run } = useAction();
  // Once closed, the row stays busy until the timeline's preview.closed drops it from the list.
  const close = () => run(() => closePreview(sessionId, preview.port), { keepBusy: true });
  const by =
    preview.by === "agent"
      ? "by the agent"
      : preview.actor
        ? `by ${displayName(preview.actor)}`
        : null;
  return (
    <li className="preview" aria-label={`Preview ${preview.label}, port ${preview.port}`}>
      <div className="preview-head">
        <span className="preview-label">{preview.label}</span>
        <span className="preview-port mono">:{preview.port}</span>
        <a
          className="button button-small button-primary preview-open"
          href={openPreviewHref(sessionId, preview.port)}
          target="_blank"
          rel="noopener"
          aria-label={`Open ${preview.label} in a new tab`}
        >
          Open <span aria-hidden="true">↗</span>
        </a>
      </div>
      <p className="preview-host mono muted" title={preview.url}>
        {hostOf(preview.url)}
      </p>
      <p className="preview-meta muted">
        {by ? <span>Published {by}</span> : null}
        {canClose ? (
          <>
            {by ? " · " : null}
            <button
              type="button"
              className="link-button"
              onClick={() => void close()}
              disabled={busy}
              aria-label={`Close the preview of port ${preview.port}`}
            >
              {busy ? "Closing…" : "Close"}
            </button>
          </>
        ) : null}
      </p>
      <FormError error={error} />
    </li>
  );
}

/** The host a preview is served on, as people read it. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
