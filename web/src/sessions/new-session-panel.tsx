// Where a new session starts: on a repository the person picks, or wherever the organisation's
// routing guide sends the request. Tabs switch between the two forms.
import { useRef, type KeyboardEvent } from "react";
import { LazyAskForm } from "../requests/lazy-ask-form.tsx";
import { NewSessionForm } from "./new-session-form.tsx";

/** How the session starts. */
export type StartMode = "repository" | "organisation";

const TABS: readonly { mode: StartMode; label: string }[] = [
  { mode: "repository", label: "On a repository" },
  { mode: "organisation", label: "Ask the organisation" },
];

/** Props of NewSessionPanel. */
export interface NewSessionPanelProps {
  mode: StartMode;
  onModeChange: (mode: StartMode) => void;
  onCancel: () => void;
}

/** The tabs over the form of the chosen way to start; arrow keys move between the tabs. */
export function NewSessionPanel({ mode, onModeChange, onCancel }: NewSessionPanelProps) {
  const tabs = useRef(new Map<StartMode, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((tab) => tab.mode === mode);
    const last = TABS.length - 1;
    const next =
      event.key === "ArrowRight"
        ? (index + 1) % TABS.length
        : event.key === "ArrowLeft"
          ? (index + last) % TABS.length
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    const target = TABS[next]!.mode;
    onModeChange(target);
    tabs.current.get(target)?.focus();
  };

  return (
    <section className="new-session-panel" aria-label="Start a session">
      <div className="start-tabs" role="tablist" aria-label="How to start" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.mode}
            ref={(element) => {
              if (element) tabs.current.set(tab.mode, element);
              else tabs.current.delete(tab.mode);
            }}
            type="button"
            role="tab"
            id={`start-tab-${tab.mode}`}
            className="start-tab"
            aria-selected={tab.mode === mode}
            aria-controls="start-panel"
            tabIndex={tab.mode === mode ? 0 : -1}
            onClick={() => onModeChange(tab.mode)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="start-panel" aria-labelledby={`start-tab-${mode}`}>
        {mode === "repository" ? (
          <NewSessionForm onCancel={onCancel} />
        ) : (
          <LazyAskForm onCancel={onCancel} />
        )}
      </div>
    </section>
  );
}
