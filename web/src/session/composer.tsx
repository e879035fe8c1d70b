// Where participants who may prompt write to the agent; it also tells the room when they type.
import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { MAX_PROMPT_CHARS, TYPING_TTL_MS } from "../../../protocol/room.ts";

/** Props of Composer. */
export interface ComposerProps {
  onSend: (text: string) => void;
  onTyping: (typing: boolean) => void;
  offline: boolean;
}

/** Typing signals are renewed this often, well inside the room's typing lifetime. */
const TYPING_RENEW_MS = TYPING_TTL_MS / 2;

/** A textarea and a send button; Ctrl/⌘+Enter sends. */
export function Composer({ onSend, onTyping, offline }: ComposerProps) {
  const [text, setText] = useState("");
  const typingSentAt = useRef(0);

  const typing = (now: boolean) => {
    if (now) {
      if (Date.now() - typingSentAt.current < TYPING_RENEW_MS) return;
      typingSentAt.current = Date.now();
    } else {
      if (typingSentAt.current === 0) return;
      typingSentAt.current = 0;
    }
    onTyping(now);
  };

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim()) return;
    onSend(text);
    setText("");
    typing(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) send();
  };

  return (
    <form className="composer" onSubmit={send}>
      <label htmlFor="composer-text" className="visually-hidden">
        Prompt for the agent
      </label>
      <textarea
        id="composer-text"
        value={text}
        rows={2}
        maxLength={MAX_PROMPT_CHARS}
        placeholder="Ask the agent to do something…"
        onChange={(event) => {
          setText(event.target.value);
          typing(event.target.value.trim().length > 0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => typing(false)}
        aria-describedby="composer-hint"
      />
      <div className="composer-bar">
        <span id="composer-hint" className="muted composer-hint">
          {offline ? (
            "Offline: prompts are sent once reconnected."
          ) : (
            <span className="composer-keys">Ctrl + Enter to send</span>
          )}
        </span>
        <button type="submit" className="button button-primary" disabled={!text.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}
