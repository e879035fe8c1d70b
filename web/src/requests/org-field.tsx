// Choosing the organisation a request goes to: the owners of the registered repositories.
import { Link } from "../router/link.tsx";
import type { RepositoryListState } from "../sessions/use-repositories.ts";

/** Props of OrgField. */
export interface OrgFieldProps {
  list: RepositoryListState;
  orgs: readonly string[];
  value: string;
  onChange: (org: string) => void;
  onRetry: () => void;
}

/** A select of the organisations, with a link to the chosen one's routing guide. */
export function OrgField({ list, orgs, value, onChange, onRetry }: OrgFieldProps) {
  return (
    <div className="field">
      <label className="field-label" htmlFor="ask-org">
        Organisation
      </label>
      {list.status === "loading" ? (
        <p className="ask-note muted" role="status">
          <span className="spinner spinner-small" aria-hidden="true" /> Loading organisations…
        </p>
      ) : null}
      {list.status === "error" ? (
        <div className="ask-note" role="alert">
          <p className="form-error">The organisations could not be loaded. {list.message}</p>
          <button type="button" className="button button-small" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : null}
      {list.status === "ready" && orgs.length === 0 ? (
        <p className="ask-note muted">
          No repositories are registered yet. Register an organisation's repositories and write its
          routing guide, then ask it here.
        </p>
      ) : null}
      {orgs.length > 0 ? (
        <>
          <select
            id="ask-org"
            className="select"
            value={value}
            onChange={(event) => onChange(event.target.value)}
            aria-describedby="ask-org-hint"
          >
            {orgs.map((org) => (
              <option key={org} value={org}>
                {org}
              </option>
            ))}
          </select>
          <p className="field-hint muted" id="ask-org-hint">
            Tandem reads the{" "}
            <Link href={`/orgs/${encodeURIComponent(value)}/routing`}>
              routing guide of <span className="mono">{value}</span>
            </Link>{" "}
            to choose the repository or environment.
          </p>
        </>
      ) : null}
    </div>
  );
}
