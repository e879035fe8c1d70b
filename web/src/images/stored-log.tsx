// The log of one past build, read when someone opens it.
import { useEffect, useState } from "react";
import { messageOf } from "../api/client.ts";
import { imageLog, type BuildLogLine } from "../api/repositories.ts";
import { LoadFailed } from "../ui/load-failed.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import { BuildLog } from "./build-log.tsx";
import { shortSha } from "./image-format.ts";
import { mergeLogLines } from "./log-lines.ts";

/** Props of StoredLog. */
export interface StoredLogProps {
  repo: string;
  imageId: string;
  commit: string;
  /** Lines of this build that arrived live while the page was open. */
  liveLines: readonly BuildLogLine[] | undefined;
}

type Load =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; lines: readonly BuildLogLine[] };

/** Loads and shows the stored log, with any live lines merged in. */
export function StoredLog({ repo, imageId, commit, liveLines }: StoredLogProps) {
  const [load, setLoad] = useState<Load>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setLoad({ status: "loading" });
    imageLog(repo, imageId)
      .then((lines) => current && setLoad({ status: "ready", lines }))
      .catch(
        (error: unknown) => current && setLoad({ status: "error", message: messageOf(error) }),
      );
    return () => {
      current = false;
    };
  }, [repo, imageId, attempt]);

  if (load.status === "loading") return <StateMessage kind="loading" title="Loading the log…" />;
  if (load.status === "error")
    return (
      <LoadFailed
        title="The log could not be loaded."
        message={load.message}
        onRetry={() => setAttempt((n) => n + 1)}
        small
      />
    );
  return (
    <BuildLog
      lines={mergeLogLines(load.lines, liveLines ?? [])}
      label={`Build log of ${shortSha(commit)}`}
    />
  );
}
