// Picks a role and creates a share link; the new link's URL is shown once, to copy.
import { useState, type FormEvent } from "react";
import type { ShareRole } from "../../../protocol/events.ts";
import type { CreatedShareLink } from "../api/sessions.ts";
import { useAction } from "../ui/use-action.ts";
import { CopyField } from "./copy-field.tsx";

/** Props of CreateLinkForm. */
export interface CreateLinkFormProps {
  onCreate: (role: ShareRole) => Promise<CreatedShareLink | null>;
}

const ROLE_HELP: Record<ShareRole, string> = {
  collaborator: "can prompt, stop the agent and cancel their own prompts",
  viewer: "can watch, but not prompt",
};

/** The role choice, the create button and the fresh URL. */
export function CreateLinkForm({ onCreate }: CreateLinkFormProps) {
  const [role, setRole] = useState<ShareRole>("collaborator");
  const { busy, run } = useAction();
  const [created, setCreated] = useState<CreatedShareLink | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => setCreated(await onCreate(role)));
  };

  return (
    <form onSubmit={submit} className="create-link">
      <fieldset className="role-choice">
        <legend className="field-label">People who open the link join as</legend>
        {(["collaborator", "viewer"] as const).map((option) => (
          <label key={option} className="radio">
            <input
              type="radio"
              name="share-role"
              value={option}
              checked={role === option}
              onChange={() => setRole(option)}
            />
            <span>
              <strong>{option}</strong> <span className="muted">— {ROLE_HELP[option]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Creating…" : "Create link"}
      </button>
      {created ? (
        <div className="created-link" role="status">
          <p>
            New <strong>{created.link.role}</strong> link. Copy it now: it is shown only once.
          </p>
          <CopyField value={created.url} label="Share link URL" />
        </div>
      ) : null}
    </form>
  );
}
