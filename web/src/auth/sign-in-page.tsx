// Sign in with a personal API token, or with GitHub where the server offers it.
import { useState, type FormEvent } from "react";
import type { Person } from "../../../protocol/events.ts";
import { signIn } from "../api/auth.ts";
import { useAction } from "../ui/use-action.ts";
import { useProviders } from "./use-providers.ts";
import { FormError } from "../ui/form-error.tsx";

/** Where the server starts a GitHub sign-in; `returnTo` is the page to open afterwards. */
const GITHUB_SIGN_IN_PATH = "/api/auth/github/start";

/** Props of SignInPage. */
export interface SignInPageProps {
  onSignedIn: (user: Person) => void;
}

/** The sign-in screen; it renders at whatever address was asked for, so that address opens afterwards. */
export function SignInPage({ onSignedIn }: SignInPageProps) {
  const providers = useProviders();
  const [token, setToken] = useState("");
  const [shown, setShown] = useState(false);
  const { busy, error, setError, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return setError("Paste your API token first.");
    await run(async () => onSignedIn(await signIn(token.trim())), { keepBusy: true });
  };

  return (
    <main className="sign-in" id="main">
      <div className="card sign-in-card">
        <h1 className="sign-in-title">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{" "}
          Sign in to Tandem
        </h1>
        <p className="muted">Background coding agents you can work with together.</p>
        {providers?.github ? (
          <>
            <a
              className="button button-block button-github"
              href={`${GITHUB_SIGN_IN_PATH}?returnTo=${encodeURIComponent(location.pathname + location.search)}`}
            >
              Sign in with GitHub
            </a>
            <p className="sign-in-divider" aria-hidden="true">
              <span>or</span>
            </p>
          </>
        ) : null}
        <form className="sign-in-form" onSubmit={submit} noValidate>
          <div className="field">
            <label className="field-label" htmlFor="sign-in-token">
              API token
            </label>
            <span className="input-affix">
              <input
                id="sign-in-token"
                type={shown ? "text" : "password"}
                name="token"
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="off"
                placeholder="tdm_…"
                value={token}
                onChange={(event) => setToken(event.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? "sign-in-error sign-in-help" : "sign-in-help"}
                autoFocus
              />
              <button
                type="button"
                className="button button-quiet button-small input-affix-button"
                onClick={() => setShown((now) => !now)}
                aria-pressed={shown}
                aria-label={shown ? "Hide token" : "Show token"}
              >
                {shown ? "Hide" : "Show"}
              </button>
            </span>
          </div>
          <FormError error={error} id="sign-in-error" />
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        <div className="help" id="sign-in-help">
          <p>
            <strong>Where do I get a token?</strong>
          </p>
          <ul className="help-list">
            <li>
              Running Tandem on your machine: <code>npm run dev</code> prints a token for the user{" "}
              <strong>demo</strong>.
            </li>
            <li>
              For someone else: <code>npm run user:create -- &lt;login&gt;</code> creates that
              person and prints their token.
            </li>
            <li>
              On a shared deployment, ask its operator for your first token. Signed in, you can make
              more for scripts with <code>POST /api/auth/tokens</code>.
            </li>
          </ul>
          <p>
            Tokens start with <code>tdm_</code>. Signing in keeps you signed in on this browser for
            30 days.
          </p>
        </div>
      </div>
    </main>
  );
}
