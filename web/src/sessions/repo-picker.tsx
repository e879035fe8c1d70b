// Choosing the repository of a new session: search the registered ones, see each one's image
// state, or use an unregistered owner/name typed in full.
import { useState } from "react";
import type { RepositoryInfo } from "../api/repositories.ts";
import { ImageStateBadge } from "../images/image-state-badge.tsx";
import { warmLabel } from "../images/image-state.ts";
import { filterRepositories, unlistedRepository } from "./repo-search.ts";
import { useRepositoryDetails, type RepositoryListState } from "./use-repositories.ts";

/** How many matches the picker lists at once; a search narrows the rest. */
const MAX_SHOWN = 6;

/** The chosen repository and whether it is registered (has images and a pool). */
export interface PickedRepository {
  repo: string;
  registered: boolean;
}

/** Props of RepoPicker. */
export interface RepoPickerProps {
  list: RepositoryListState;
  onRetry: () => void;
  value: PickedRepository | null;
  onChange: (picked: PickedRepository) => void;
  problem: string | null;
}

/** A search field over a radio list of repositories. */
export function RepoPicker({ list, onRetry, value, onChange, problem }: RepoPickerProps) {
  const [query, setQuery] = useState("");
  const repositories: RepositoryInfo[] = list.status === "ready" ? list.repositories : [];
  const matches = filterRepositories(repositories, query);
  const shown = matches.slice(0, MAX_SHOWN);
  const unlisted = list.status === "ready" ? unlistedRepository(repositories, query) : null;
  const details = useRepositoryDetails(shown.map((item) => item.repo));
  const selectedHidden =
    value !== null && !shown.some((item) => item.repo === value.repo) && value.repo !== unlisted;

  return (
    <fieldset className="repo-picker" aria-describedby={problem ? "repo-picker-error" : undefined}>
      <legend className="field-label">Repository</legend>
      <label htmlFor="repo-search" className="visually-hidden">
        Search repositories
      </label>
      <input
        id="repo-search"
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="Search, or type owner/name"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        aria-controls="repo-options"
      />
      {list.status === "loading" ? (
        <p className="repo-picker-note muted" role="status">
          <span className="spinner spinner-small" aria-hidden="true" /> Loading repositories…
        </p>
      ) : null}
      {list.status === "error" ? (
        <div className="repo-picker-note" role="alert">
          <p className="form-error">The repositories could not be loaded. {list.message}</p>
          <button type="button" className="button button-small" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : null}
      {list.status === "ready" && repositories.length === 0 && !unlisted ? (
        <p className="repo-picker-note muted">
          No repositories are registered yet. Type one as owner/name, or register it (
          <code>POST /api/repositories</code>) so that it gets images and warm sandboxes.
        </p>
      ) : null}
      {list.status === "ready" && repositories.length > 0 && matches.length === 0 && !unlisted ? (
        <p className="repo-picker-note muted">
          No registered repository matches “{query.trim()}”. Type it in full as owner/name to use it
          anyway.
        </p>
      ) : null}
      {selectedHidden ? (
        <p className="repo-picker-note">
          Selected: <span className="mono">{value.repo}</span>
        </p>
      ) : null}
      {shown.length > 0 || unlisted ? (
        <ul id="repo-options" className="repo-options" aria-label="Repositories">
          {shown.map((item) => (
            <li key={item.repo}>
              <label className="repo-option">
                <input
                  type="radio"
                  name="new-session-repo"
                  value={item.repo}
                  checked={value?.repo === item.repo}
                  onChange={() => onChange({ repo: item.repo, registered: true })}
                />
                <span className="repo-option-name mono">{item.repo}</span>
                <span className="repo-option-state">
                  <ImageStateBadge detail={details[item.repo]} />
                  {details[item.repo] ? (
                    <span className="muted">{warmLabel(details[item.repo]!)}</span>
                  ) : null}
                </span>
              </label>
            </li>
          ))}
          {unlisted ? (
            <li>
              <label className="repo-option">
                <input
                  type="radio"
                  name="new-session-repo"
                  value={unlisted}
                  checked={value?.repo === unlisted}
                  onChange={() => onChange({ repo: unlisted, registered: false })}
                />
                <span className="repo-option-name">
                  Use <span className="mono">{unlisted}</span>
                </span>
                <span className="repo-option-state muted">
                  not registered: no image, so the first turn starts slower
                </span>
              </label>
            </li>
          ) : null}
        </ul>
      ) : null}
      {matches.length > shown.length ? (
        <p className="repo-picker-note muted">
          {matches.length - shown.length} more; search to narrow the list.
        </p>
      ) : null}
      {problem ? (
        <p className="form-error" id="repo-picker-error">
          {problem}
        </p>
      ) : null}
    </fieldset>
  );
}
