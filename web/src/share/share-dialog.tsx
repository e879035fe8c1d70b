// The owner's share dialog: create links with a role, copy the URL, list and revoke links.
import { useEffect, useRef } from "react";
import { StateMessage } from "../ui/state-message.tsx";
import { CreateLinkForm } from "./create-link-form.tsx";
import { ShareLinkItem } from "./share-link-item.tsx";
import { useShareLinks } from "./use-share-links.ts";

/** Props of ShareDialog. */
export interface ShareDialogProps {
  sessionId: string;
  open: boolean;
  onClose: () => void;
}

/** A modal dialog (native <dialog>: focus is trapped and Escape closes it). */
export function ShareDialog({ sessionId, open, onClose }: ShareDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { links, error, create, revoke } = useShareLinks(sessionId, open);
  const now = Date.now();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="share-heading" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="share-heading">Share this session</h2>
        <button
          type="button"
          className="button button-quiet"
          onClick={onClose}
          aria-label="Close share dialog"
        >
          ✕
        </button>
      </div>
      {open ? <CreateLinkForm key={sessionId} onCreate={create} /> : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <h3 className="dialog-subhead">Links</h3>
      {links === null && !error ? <StateMessage kind="loading" title="Loading links…" /> : null}
      {links !== null && links.length === 0 ? <p className="muted">No links yet.</p> : null}
      {links !== null && links.length > 0 ? (
        <ul className="share-links">
          {[...links].reverse().map((link) => (
            <ShareLinkItem key={link.id} link={link} now={now} onRevoke={revoke} />
          ))}
        </ul>
      ) : null}
    </dialog>
  );
}
