// The application shell: sign-in gate, top bar, and the routes.
import { SignInPage } from "./auth/sign-in-page.tsx";
import { useAuth } from "./auth/use-auth.ts";
import { AppRoutes } from "./app-routes.tsx";
import { navigate, usePathname } from "./router/router.ts";
import { AppHeader } from "./ui/app-header.tsx";
import { StateMessage } from "./ui/state-message.tsx";

/** The whole app. */
export function App() {
  const path = usePathname();
  const { auth, signedIn, signOut } = useAuth();

  if (auth.status === "loading") return <StateMessage kind="loading" title="Loading Tandem…" />;
  if (auth.status === "error") {
    return (
      <StateMessage kind="error" title="Tandem could not be reached.">
        <p>{auth.message}</p>
        <button type="button" className="button" onClick={() => location.reload()}>
          Reload
        </button>
      </StateMessage>
    );
  }
  // Signing in happens at the address that was asked for, so a share link still opens afterwards.
  if (auth.status === "signed-out") return <SignInPage onSignedIn={signedIn} />;

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppHeader
        user={auth.user}
        onSignOut={async () => {
          await signOut();
          navigate("/");
        }}
      />
      <AppRoutes path={path} />
    </>
  );
}
