// The page at /orgs/:org/routing: the organisation's spaces, edited in place and saved together.
import "../styles/routing.css";
import { useEffect, useState } from "react";
import type { RoutingGuide } from "../../../protocol/routing.ts";
import { putRoutingGuide } from "../api/routing.ts";
import { Link } from "../router/link.tsx";
import { LoadFailed } from "../ui/load-failed.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import { GuideEditor } from "./guide-editor.tsx";
import { useOrgRepositories, useRoutingGuide } from "./use-routing-guide.ts";

/** The routing guide page of one organisation. */
export default function RoutingPage({ org }: { org: string }) {
  const [load, reload] = useRoutingGuide(org);
  const repos = useOrgRepositories(org);
  const [guide, setGuide] = useState<RoutingGuide | null>(null);
  useEffect(() => setGuide(load.status === "ready" ? load.guide : null), [load]);

  useEffect(() => {
    document.title = `Routing · ${org} · Tandem`;
    return () => {
      document.title = "Tandem";
    };
  }, [org]);

  return (
    <main className="page routing-page" id="main">
      <Link href="/repositories" className="back-link">
        ← Repositories
      </Link>
      <div className="page-head">
        <h1>
          Routing guide <span className="routing-org mono">{org}</span>
        </h1>
      </div>
      <p className="routing-intro muted">
        Where requests for {org} go. Each space is a repository, or an environment of one, with what
        it is for and the topics it covers.
      </p>
      {load.status === "loading" ? (
        <StateMessage kind="loading" title="Loading the guide…" />
      ) : null}
      {load.status === "error" && load.missing ? (
        <StateMessage kind="error" title={`No routing guide for ${org} that you can reach.`}>
          <p>{load.message}</p>
          <Link href="/repositories">Back to repositories</Link>
        </StateMessage>
      ) : null}
      {load.status === "error" && !load.missing ? (
        <LoadFailed
          title="The guide could not be loaded."
          message={load.message}
          onRetry={reload}
        />
      ) : null}
      {guide ? (
        <GuideEditor
          key={`${guide.updatedAt ?? 0}-${guide.spaces.length}`}
          guide={guide}
          repos={repos}
          onSave={async (spaces) => {
            const saved = await putRoutingGuide(org, spaces);
            setGuide(saved);
          }}
        />
      ) : null}
    </main>
  );
}
