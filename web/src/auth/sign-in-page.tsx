// Sign in with a personal API token.
import { useState, type FormEvent } from "react";
import type { Person } from "../../../protocol/events.ts";
import { signIn } from "../api/auth.ts";
import { messageOf } from "../api/client.ts";

/** Props of SignInPage. */
export interface SignInPageProps {
  onSignedIn: (user: Person) => void;
}

/** The sign-in screen; it renders at whatever address was asked for, so that address opens afterwards. */
export function SignInPage({ onSignedIn }: SignInPageProps) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return setError("Paste your API token first.");
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(token.trim()));
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form className="card sign-in-card" onSubmit={submit} noValidate>
        <h1 className="sign-in-title">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{" "}
          Sign in to Tandem
        </h1>
        <p className="muted">Sign in with a personal API token.</p>
        <label className="field">
          <span className="field-label">API token</span>
          <input
            type="password"
            name="token"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => setToken(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "sign-in-error" : "sign-in-help"}
            autoFocus
          />
        </label>
        {error ? (
          <p className="form-error" id="sign-in-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <div className="help" id="sign-in-help">
          <p>
            Running Tandem locally? <code>npm run dev</code> prints a token for the user{" "}
            <strong>demo</strong>.
          </p>
          <p>
            Make more people with <code>npm run user:create -- &lt;login&gt;</code>; it prints their
            token.
          </p>
        </div>
      </form>
    </main>
  );
}
