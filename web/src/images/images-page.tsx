// A repository's images: what is current, the warm pool, build now, the live build and the history.
import { useState } from "react";
import { messageOf } from "../api/client.ts";
import { buildNow } from "../api/repositories.ts";
import { Link } from "../router/link.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import { formatAge, formatBytes, shortSha } from "./image-format.ts";
import { ImageHistory } from "./image-history.tsx";
import { LiveBuild } from "./live-build.tsx";
import { useBuildWatch } from "./use-build-watch.ts";
import { useNow } from "./use-now.ts";
import { useRepositoryImages } from "./use-repository-images.ts";
import { FormError } from "../ui/form-error.tsx";

/** The page at /repositories/:owner/:name/images. */
export function ImagesPage({ repo }: { repo: string }) {
  const watch = useBuildWatch(repo);
  const [started, setStarted] = useState(0);
  const [data, retry] = useRepositoryImages(repo, watch.finishedCount + started);
  const [building, setBuilding] = useState(false);
  const [buildError, setBuildError] = useState<string | null>(null);
  // The socket reports builds as they happen; a read of the repository knows the newest warm count.
  const read = data.status === "ready" ? data : null;
  const pool =
    watch.pool && (!read || watch.poolAt > read.readAt) ? watch.pool : (read?.detail.pool ?? null);
  const now = useNow(pool?.building ? 1_000 : 30_000);

  const startBuild = async () => {
    setBuilding(true);
    setBuildError(null);
    try {
      await buildNow(repo);
      setStarted((n) => n + 1);
    } catch (error) {
      setBuildError(messageOf(error));
    } finally {
      setBuilding(false);
    }
  };

  const head = (
    <div className="page-head images-head">
      <div>
        <Link href="/repositories" className="back-link">
          ← Repositories
        </Link>
        <h1>
          <span className="mono">{repo}</span> <span className="muted images-head-sub">images</span>
        </h1>
      </div>
    </div>
  );

  if (data.status === "loading")
    return (
      <main className="page" id="main">
        {head}
        <StateMessage kind="loading" title="Loading images…" />
      </main>
    );
  if (data.status === "error")
    return (
      <main className="page" id="main">
        {head}
        <StateMessage
          kind="error"
          title={data.missing ? `${repo} is not registered.` : "The images could not be loaded."}
        >
          <p>{data.missing ? "Register it first; then Tandem builds its images." : data.message}</p>
          {data.missing ? (
            <Link href="/repositories">All repositories</Link>
          ) : (
            <button type="button" className="button" onClick={retry}>
              Try again
            </button>
          )}
        </StateMessage>
      </main>
    );

  const { detail, images } = data;
  const current = detail.currentImage;
  const liveId = pool?.building?.imageId ?? watch.liveImageId;
  const liveCommit =
    (pool?.building?.imageId === liveId ? pool?.building?.commit : null) ??
    images.find((image) => image.id === liveId)?.commit ??
    null;

  return (
    <main className="page" id="main">
      {head}
      {watch.connection !== "open" ? (
        <p className="images-connection muted" role="status">
          {watch.connection === "connecting"
            ? "Connecting to live build updates…"
            : "Live build updates are interrupted; reconnecting…"}
        </p>
      ) : null}
      <div className="images-summary">
        <section className="card summary-card" aria-labelledby="current-image-heading">
          <h2 id="current-image-heading" className="summary-label">
            Current image
          </h2>
          {current ? (
            <>
              <p className="summary-value mono">{shortSha(current.commit)}</p>
              <p className="muted">
                built {formatAge(current.finishedAt ?? current.createdAt, now)} ago
                {current.sizeBytes !== null ? ` · ${formatBytes(current.sizeBytes)}` : ""}
              </p>
            </>
          ) : (
            <>
              <p className="summary-value">none yet</p>
              <p className="muted">Sessions start from a fresh clone until an image is ready.</p>
            </>
          )}
        </section>
        <section className="card summary-card" aria-labelledby="pool-heading">
          <h2 id="pool-heading" className="summary-label">
            Warm pool
          </h2>
          {detail.repository.warmPoolSize === 0 && !pool?.warm ? (
            <>
              <p className="summary-value">off</p>
              <p className="muted">
                No sandbox is kept ready; one starts when someone writes a prompt.
              </p>
            </>
          ) : (
            <>
              <p className="summary-value">
                {pool?.warm ?? 0}{" "}
                <span className="summary-of">of {detail.repository.warmPoolSize} warm</span>
              </p>
              <p className="muted">Ready sandboxes kept on the current image.</p>
            </>
          )}
        </section>
        <section className="card summary-card" aria-labelledby="build-heading">
          <h2 id="build-heading" className="summary-label">
            Branch <span className="mono">{detail.repository.defaultBranch}</span>
          </h2>
          {detail.repository.headCommit ? (
            <p className="summary-value mono">{shortSha(detail.repository.headCommit)}</p>
          ) : (
            <p className="muted">
              Its head has not been read yet; the branch is checked every 30 minutes.
            </p>
          )}
          <button
            type="button"
            className="button button-primary"
            onClick={startBuild}
            disabled={building || Boolean(pool?.building) || !detail.repository.headCommit}
          >
            {pool?.building ? "Building…" : building ? "Starting…" : "Build now"}
          </button>
          <FormError error={buildError} />
        </section>
      </div>
      {liveId ? (
        <LiveBuild
          imageId={liveId}
          commit={liveCommit}
          pool={pool}
          lines={watch.logs[liveId] ?? []}
          finished={watch.finished}
          now={now}
        />
      ) : null}
      <section className="images-history" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {images.length === 0 ? (
          <StateMessage kind="empty" title="No images have been built yet.">
            <p>Build one now, or wait for the next check of the branch (every 30 minutes).</p>
          </StateMessage>
        ) : (
          <ImageHistory
            repo={repo}
            images={images}
            currentImageId={current?.id ?? null}
            liveLogs={watch.logs}
            now={now}
          />
        )}
      </section>
    </main>
  );
}
