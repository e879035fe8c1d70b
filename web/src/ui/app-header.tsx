// The bar at the top of every signed-in page: home link, sections, who is signed in, sign out.
import type { Person } from "../../../protocol/events.ts";
import { Link } from "../router/link.tsx";
import { Avatar } from "./avatar.tsx";
import { displayName } from "./format.ts";
import { NavLink } from "./nav-link.tsx";
import { useAction } from "./use-action.ts";

/** Props of AppHeader. */
export interface AppHeaderProps {
  user: Person;
  onSignOut: () => Promise<void>;
}

/** The app's top bar. */
export function AppHeader({ user, onSignOut }: AppHeaderProps) {
  const { busy, error, run } = useAction();
  const signOut = () => void run(onSignOut, { keepBusy: true });
  return (
    <header className="app-header">
      <Link href="/" className="brand" aria-label="Tandem, all sessions">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        Tandem
      </Link>
      <nav className="app-nav" aria-label="Main">
        <NavLink href="/repositories">Repositories</NavLink>
        <NavLink href="/stats">Stats</NavLink>
      </nav>
      <div className="app-header-user">
        <Avatar person={user} size="sm" />
        <span className="app-header-name">{displayName(user)}</span>
        <button type="button" className="button button-quiet" onClick={signOut} disabled={busy}>
          {busy ? "Signing out…" : "Sign out"}
        </button>
        {error ? (
          <span className="form-error app-header-error" role="alert">
            Could not sign out: {error}
          </span>
        ) : null}
      </div>
    </header>
  );
}
