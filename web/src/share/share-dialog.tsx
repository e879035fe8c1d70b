// The owner's share dialog: create links with a role, copy the URL, list and revoke links, and see
// and remove the people in the session.
import type { Role } from "../../../protocol/events.ts";
import { StateMessage } from "../ui/state-message.tsx";
import { useModal } from "../ui/use-modal.ts";
import { CreateLinkForm } from "./create-link-form.tsx";
import { PeopleList } from "./people-list.tsx";
import { ShareLinkItem } from "./share-link-item.tsx";
import { usePeople } from "./use-people.ts";
import { useShareLinks } from "./use-share-links.ts";
import { FormError } from "../ui/form-error.tsx";

/** Props of ShareDialog. */
export interface ShareDialogProps {
  sessionId: string;
  open: boolean;
  onClose: () => void;
  myUserId: string | undefined;
  myRole: Role;
  /** Changes whenever someone joins, changes role or goes, so the People list reloads. */
  peopleVersion: number;
}

/** A modal dialog (native <dialog>: focus is trapped and Escape closes it). */
export function ShareDialog(props: ShareDialogProps) {
  const { sessionId, open, onClose } = props;
  const dialog = useModal(open);
  const { links, error, create, revoke } = useShareLinks(sessionId, open);
  const people = usePeople(sessionId, open, props.peopleVersion);
  const now = Date.now();

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
      <FormError error={error} />
      <h3 className="dialog-subhead">People</h3>
      <FormError error={people.error} />
      {people.people !== null || !people.error ? (
        <PeopleList
          people={people.people}
          myUserId={props.myUserId}
          myRole={props.myRole}
          onRemove={people.remove}
        />
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
