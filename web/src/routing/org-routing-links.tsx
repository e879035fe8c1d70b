// Links to the routing guide of each organisation that has registered repositories.
import "../styles/routing.css";
import { Link } from "../router/link.tsx";

/** One "Routing guide" link per owner among `repos`, in first-seen order. */
export function OrgRoutingLinks({ repos }: { repos: readonly string[] }) {
  const orgs = [...new Set(repos.map((repo) => repo.split("/")[0]!))];
  if (orgs.length === 0) return null;
  return (
    <nav className="org-routing-links" aria-label="Routing guides">
      <span className="muted">Routing guides:</span>
      {orgs.map((org) => (
        <Link key={org} href={`/orgs/${encodeURIComponent(org)}/routing`} className="mono">
          {org}
        </Link>
      ))}
    </nav>
  );
}
