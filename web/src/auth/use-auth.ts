// Who is signed in: asked once at start, cleared when any request finds the session gone.
import { useCallback, useEffect, useState } from "react";
import type { Person } from "../../../protocol/events.ts";
import { fetchMe, signOut } from "../api/auth.ts";
import { messageOf, UNAUTHENTICATED_EVENT } from "../api/client.ts";

/** The sign-in state of the app. */
export type AuthState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "signed-out" }
  | { status: "signed-in"; user: Person };

/** The auth state and the two transitions the UI triggers. */
export function useAuth(): {
  auth: AuthState;
  signedIn: (user: Person) => void;
  signOut: () => Promise<void>;
} {
  const [auth, setAuth] = useState<AuthState>({ status: "loading" });

  useEffect(() => {
    fetchMe()
      .then((user) => setAuth(user ? { status: "signed-in", user } : { status: "signed-out" }))
      .catch((error: unknown) => setAuth({ status: "error", message: messageOf(error) }));
    const lost = () => setAuth({ status: "signed-out" });
    window.addEventListener(UNAUTHENTICATED_EVENT, lost);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, lost);
  }, []);

  const signedIn = useCallback((user: Person) => setAuth({ status: "signed-in", user }), []);
  const doSignOut = useCallback(async () => {
    await signOut().catch(() => undefined);
    setAuth({ status: "signed-out" });
  }, []);

  return { auth, signedIn, signOut: doSignOut };
}
