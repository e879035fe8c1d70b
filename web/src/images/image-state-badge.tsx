// A repository's image state as a small coloured label.
import type { RepositoryDetail } from "../api/repositories.ts";
import { imageStateOf } from "./image-state.ts";

/** The image state; `detail` is undefined while loading and null when it could not be read. */
export function ImageStateBadge({ detail }: { detail: RepositoryDetail | null | undefined }) {
  const { tone, label } = imageStateOf(detail);
  return (
    <span className={`badge badge-image badge-image-${tone}`}>
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
