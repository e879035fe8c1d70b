// The build running now, or the one that just ended, with its log as it arrives.
import type { BuildLogLine, PoolStatus } from "../api/repositories.ts";
import { formatDuration } from "../ui/format.ts";
import { BuildLog } from "./build-log.tsx";
import type { FinishedBuild } from "./build-watch-state.ts";
import { shortSha } from "./image-format.ts";

/** Props of LiveBuild. */
export interface LiveBuildProps {
  imageId: string;
  /** The commit being built, when known. */
  commit: string | null;
  pool: PoolStatus | null;
  lines: readonly BuildLogLine[];
  finished: FinishedBuild | null;
  now: number;
}

/** A panel headed by the build's state; the log follows the end while it runs. */
export function LiveBuild({ imageId, commit, pool, lines, finished, now }: LiveBuildProps) {
  const running = pool?.building?.imageId === imageId ? pool.building : null;
  const ended = finished?.imageId === imageId ? finished : null;
  const name = commit ? shortSha(commit) : imageId;
  return (
    <section className="card live-build" aria-labelledby="live-build-heading">
      <div className="live-build-head">
        <h2 id="live-build-heading">
          {running ? "Building" : "Build of"} <span className="mono">{name}</span>
        </h2>
        <p role="status" className="live-build-state">
          {running ? (
            <>
              <span className="spinner spinner-small" aria-hidden="true" /> running for{" "}
              {formatDuration(Math.max(0, now - running.startedAt))}
            </>
          ) : ended ? (
            ended.ok ? (
              <span className="badge badge-state badge-build-ready">ready</span>
            ) : (
              <span className="badge badge-state badge-build-failed">failed</span>
            )
          ) : (
            <span className="muted">ended</span>
          )}
        </p>
      </div>
      {ended && !ended.ok && ended.error ? <p className="form-error">{ended.error}</p> : null}
      <BuildLog lines={lines} label={`Build log of ${name}`} live={running !== null} />
    </section>
  );
}
