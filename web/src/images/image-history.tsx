// A repository's image builds, newest first: commit, status, reason, age, size, build time and log.
import { Fragment, useState } from "react";
import type { BuildLogLine, ImageInfo } from "../api/repositories.ts";
import {
  formatAge,
  formatBuildTime,
  formatBytes,
  REASON_LABELS,
  shortSha,
} from "./image-format.ts";
import { StoredLog } from "./stored-log.tsx";

/** Props of ImageHistory. */
export interface ImageHistoryProps {
  repo: string;
  images: readonly ImageInfo[];
  /** The image in use now. */
  currentImageId: string | null;
  liveLogs: Readonly<Record<string, readonly BuildLogLine[]>>;
  now: number;
}

const COLUMNS = 7;

/** A table that folds into cards on narrow screens; each build's log opens under its row. */
export function ImageHistory({ repo, images, currentImageId, liveLogs, now }: ImageHistoryProps) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <table className="image-table">
      <caption className="visually-hidden">Image builds, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Commit</th>
          <th scope="col">Status</th>
          <th scope="col">Reason</th>
          <th scope="col">Age</th>
          <th scope="col">Size</th>
          <th scope="col">Build time</th>
          <th scope="col">
            <span className="visually-hidden">Log</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {images.map((image) => {
          const expanded = open === image.id;
          const logId = `log-${image.id}`;
          return (
            <Fragment key={image.id}>
              <tr className={expanded ? "image-row image-row-open" : "image-row"}>
                <td data-label="Commit">
                  <span className="mono" title={image.commit}>
                    {shortSha(image.commit)}
                  </span>
                  {image.id === currentImageId ? (
                    <span className="badge badge-current">current</span>
                  ) : null}
                </td>
                <td data-label="Status">
                  <span className={`badge badge-state badge-build-${image.status}`}>
                    <span className="badge-dot" aria-hidden="true" />
                    {image.status}
                  </span>
                  {image.error ? <p className="image-error">{image.error}</p> : null}
                </td>
                <td data-label="Reason">{REASON_LABELS[image.reason]}</td>
                <td data-label="Age">
                  <time
                    dateTime={new Date(image.createdAt).toISOString()}
                    title={new Date(image.createdAt).toLocaleString()}
                  >
                    {formatAge(image.createdAt, now)}
                  </time>
                </td>
                <td data-label="Size">
                  {image.sizeBytes === null ? "–" : formatBytes(image.sizeBytes)}
                </td>
                <td data-label="Build time">{formatBuildTime(image, now)}</td>
                <td className="image-row-action">
                  <button
                    type="button"
                    className="button button-small"
                    aria-expanded={expanded}
                    aria-controls={expanded ? logId : undefined}
                    aria-label={`${expanded ? "Hide" : "Show"} log of ${shortSha(image.commit)}`}
                    onClick={() => setOpen(expanded ? null : image.id)}
                  >
                    {expanded ? "Hide log" : "Log"}
                  </button>
                </td>
              </tr>
              {expanded ? (
                <tr className="image-log-row" id={logId}>
                  <td colSpan={COLUMNS}>
                    <StoredLog
                      repo={repo}
                      imageId={image.id}
                      commit={image.commit}
                      liveLines={liveLogs[image.id]}
                    />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
