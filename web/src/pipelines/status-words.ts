// The words a run's and a step's statuses show as.
import type { PipelineRunView } from "../../../protocol/pipelines.ts";

/** A run's status in words. */
export const RUN_WORDS: Record<PipelineRunView["status"], string> = {
  pending: "pending",
  in_progress: "in progress",
  completed: "completed",
  failed: "failed",
};

/** A step's status in words. */
export const STEP_WORDS: Record<PipelineRunView["steps"][number]["status"], string> = {
  pending: "pending",
  in_progress: "in progress",
  completed: "completed",
  failed: "failed",
  skipped: "skipped",
};

/** A handoff log entry's kind in words. */
export const LOG_WORDS: Record<PipelineRunView["log"][number]["kind"], string> = {
  start: "started",
  done: "handed over",
  failed: "failed",
  skipped: "skipped",
};
