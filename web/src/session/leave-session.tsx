// The session header's Leave button for everyone but the owner: confirm, leave, back to the list.
import { useState, type FormEvent } from "react";
import { removeParticipant } from "../api/sessions.ts";
import { navigate } from "../router/router.ts";
import { FormActions } from "../ui/form-actions.tsx";
import { useAction } from "../ui/use-action.ts";
import { useModal } from "../ui/use-modal.ts";

/** Props of LeaveSession. */
export interface LeaveSessionProps {
  sessionId: string;
  myUserId: string;
}

/** A "Leave" button and its confirmation (native <dialog>: focus stays inside, Escape closes it). */
export function LeaveSession({ sessionId, myUserId }: LeaveSessionProps) {
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useAction();
  const dialog = useModal(open);

  const leave = async (event: FormEvent) => {
    event.preventDefault();
    await run(
      async () => {
        await removeParticipant(sessionId, myUserId);
        navigate("/");
      },
      { keepBusy: true },
    );
  };

  return (
    <>
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Leave
      </button>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby="leave-heading"
        onClose={() => setOpen(false)}
      >
        <form className="leave-form" onSubmit={leave}>
          <h2 id="leave-heading">Leave this session?</h2>
          <p className="muted">
            It leaves your list and you stop seeing its timeline. Prompts you queued stay in the
            queue. To come back, you need a new share link from its owner.
          </p>
          <FormActions
            error={error}
            busy={busy}
            submitLabel="Leave session"
            busyLabel="Leaving…"
            onCancel={() => setOpen(false)}
          />
        </form>
      </dialog>
    </>
  );
}
