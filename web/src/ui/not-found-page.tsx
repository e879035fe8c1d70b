// What an unknown path shows.
import { Link } from "../router/link.tsx";
import { StateMessage } from "./state-message.tsx";

/** The page for paths the app does not know. */
export function NotFoundPage() {
  return (
    <main className="page page-narrow" id="main">
      <StateMessage kind="empty" title="There is nothing at this address.">
        <Link href="/">Go to your sessions</Link>
      </StateMessage>
    </main>
  );
}
