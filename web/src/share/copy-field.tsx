// A read-only URL with a copy button.
import { useRef, useState } from "react";

/** Shows `value` and copies it to the clipboard on request. */
export function CopyField({ value, label }: { value: string; label: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // No clipboard permission (or plain http): select the text so the person can copy it themselves.
      input.current?.select();
      document.execCommand("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2_000);
  };

  return (
    <div className="copy-field">
      <label className="visually-hidden" htmlFor="copy-field-input">
        {label}
      </label>
      <input
        id="copy-field-input"
        ref={input}
        readOnly
        value={value}
        onFocus={(event) => event.target.select()}
        className="mono"
      />
      <button type="button" className="button" onClick={copy} aria-live="polite">
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
