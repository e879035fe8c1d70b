// A space as its editor holds it (every field a string) and the conversions to and from the wire.
import type { Space } from "../../../protocol/routing.ts";

/** A space being written: the form's fields, as typed. */
export interface SpaceDraft {
  name: string;
  kind: Space["kind"];
  repo: string;
  /** The environment's name; ignored for a repository space. */
  environment: string;
  purpose: string;
  /** Covered topics, comma-separated. */
  coverage: string;
}

/** A blank space on `repo`. */
export function emptyDraft(repo = ""): SpaceDraft {
  return { name: "", kind: "repository", repo, environment: "", purpose: "", coverage: "" };
}

/** The draft of a stored space. */
export function draftOf(space: Space): SpaceDraft {
  return {
    name: space.name,
    kind: space.kind,
    repo: space.repo,
    environment: space.environment ?? "",
    purpose: space.purpose,
    coverage: space.coverage.join(", "),
  };
}

/** The space a draft says, trimmed; the server checks the rest. */
export function spaceOf(draft: SpaceDraft): Space {
  const environment = draft.environment.trim();
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    repo: draft.repo.trim(),
    environment: draft.kind === "environment" && environment ? environment : null,
    purpose: draft.purpose.trim(),
    coverage: draft.coverage
      .split(",")
      .map((topic) => topic.trim())
      .filter(Boolean),
  };
}

/**
 * Which row a server error is about: the index in `at spaces.N…`, else the space it names in
 * backticks; null when it names none.
 */
export function rowOfError(message: string, drafts: readonly SpaceDraft[]): number | null {
  const at = /\bat spaces\.(\d+)/.exec(message);
  if (at) return Number(at[1]);
  const named = /space (?:name )?`([^`]+)`/.exec(message);
  if (!named) return null;
  const index = drafts.findIndex((draft) => draft.name.trim() === named[1]);
  return index >= 0 ? index : null;
}
