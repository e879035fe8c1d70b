// A repository's image state in one short phrase: building, ready at a commit, or none yet.
import type { RepositoryDetail } from "../api/repositories.ts";
import { shortSha } from "./image-format.ts";

/** How an image state is coloured. */
export type ImageTone = "good" | "busy" | "none" | "unknown";

/** A repository's image state for a badge. */
export interface ImageStateLabel {
  tone: ImageTone;
  label: string;
}

/** The state of a repository's images; `undefined` while its details are loading. */
export function imageStateOf(detail: RepositoryDetail | null | undefined): ImageStateLabel {
  if (detail === undefined) return { tone: "unknown", label: "checking image…" };
  if (detail === null) return { tone: "unknown", label: "image state unknown" };
  const { currentImage, pool } = detail;
  if (pool.building) {
    return currentImage
      ? {
          tone: "busy",
          label: `ready at ${shortSha(currentImage.commit)}, building ${shortSha(pool.building.commit)}`,
        }
      : { tone: "busy", label: `building ${shortSha(pool.building.commit)}` };
  }
  if (currentImage)
    return { tone: "good", label: `image ready at ${shortSha(currentImage.commit)}` };
  return { tone: "none", label: "no image yet" };
}

/** The warm pool in words: "1 of 2 warm", or "no warm pool" for a pool of size 0 with none warm. */
export function warmLabel(detail: RepositoryDetail): string {
  const { warm } = detail.pool;
  const size = detail.repository.warmPoolSize;
  return size === 0 && warm === 0 ? "no warm pool" : `${warm} of ${size} warm`;
}
