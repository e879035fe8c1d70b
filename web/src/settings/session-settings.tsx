// The session header's settings button: the owner changes the model and spend limit, others read them.
import { useState } from "react";
import type { Role } from "../../../protocol/events.ts";
import { can } from "../../../protocol/roles.ts";
import { formatCost } from "../ui/format.ts";
import { useModal } from "../ui/use-modal.ts";
import { SettingsForm } from "./settings-form.tsx";

/** Props of SessionSettings. */
export interface SessionSettingsProps {
  sessionId: string;
  role: Role;
  /** The settings as last changed; null before they are known. */
  settings: { model: string; spendLimitUsd: number | null } | null;
}

/** A "Settings" button and its dialog (native <dialog>: focus stays inside, Escape closes it). */
export function SessionSettings({ sessionId, role, settings }: SessionSettingsProps) {
  const [open, setOpen] = useState(false);
  // Each opening starts the form from the settings as they are then.
  const [opened, setOpened] = useState(0);
  const dialog = useModal(open);
  const mayChange = can(role, "settings");

  if (!settings) return null;
  return (
    <>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        onClick={() => {
          setOpened((n) => n + 1);
          setOpen(true);
        }}
      >
        Settings
      </button>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby="settings-heading"
        onClose={() => setOpen(false)}
      >
        <div className="dialog-head">
          <h2 id="settings-heading">Agent settings</h2>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => setOpen(false)}
            aria-label="Close settings"
          >
            ✕
          </button>
        </div>
        {open && mayChange ? (
          <SettingsForm
            key={opened}
            sessionId={sessionId}
            model={settings.model}
            spendLimitUsd={settings.spendLimitUsd}
            onDone={() => setOpen(false)}
          />
        ) : null}
        {!mayChange ? (
          <div className="settings-readonly">
            <dl className="settings-list">
              <dt>Model</dt>
              <dd className="mono">{settings.model}</dd>
              <dt>Spend limit</dt>
              <dd>
                {settings.spendLimitUsd === null ? "No limit" : formatCost(settings.spendLimitUsd)}
              </dd>
            </dl>
            <p className="muted">Only the session's owner can change these.</p>
          </div>
        ) : null}
      </dialog>
    </>
  );
}
