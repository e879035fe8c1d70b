// Pipeline calls: a session's runs, starting one, a repository's pipelines and its roles' notes.
import type {
  PipelineRunView,
  PipelineSummary,
  RoleNoteView,
  StartRunBody,
} from "../../../protocol/pipelines.ts";
import { request } from "./client.ts";
import { repositoryPath } from "./repositories.ts";

export type { PipelineRunView, PipelineSummary, RoleNoteView };

const runsPath = (sessionId: string) =>
  `/api/sessions/${encodeURIComponent(sessionId)}/pipeline-runs`;

const notesPath = (repo: string, pipeline: string, role: string) =>
  `${repositoryPath(repo)}/pipelines/${encodeURIComponent(pipeline)}/roles/${encodeURIComponent(role)}/notes`;

/** The session's pipeline runs, newest first. */
export async function listRuns(sessionId: string): Promise<PipelineRunView[]> {
  return (await request<{ runs: PipelineRunView[] }>("GET", runsPath(sessionId))).runs;
}

/** Starts a run of one of the repository's pipelines in the session. */
export async function startRun(sessionId: string, body: StartRunBody): Promise<PipelineRunView> {
  return (await request<{ run: PipelineRunView }>("POST", runsPath(sessionId), body)).run;
}

/** The pipelines a session can run: its repository's own files, then the registered ones. */
export async function listPipelines(sessionId: string): Promise<PipelineSummary[]> {
  const path = `/api/sessions/${encodeURIComponent(sessionId)}/pipelines`;
  return (await request<{ pipelines: PipelineSummary[] }>("GET", path)).pipelines;
}

/** A role's notes, kept across runs. */
export async function listRoleNotes(
  repo: string,
  pipeline: string,
  role: string,
): Promise<RoleNoteView[]> {
  return (await request<{ notes: RoleNoteView[] }>("GET", notesPath(repo, pipeline, role))).notes;
}

/** Adds a person's feedback to a role's notes, read by the role's next run. */
export async function addRoleNote(
  repo: string,
  pipeline: string,
  role: string,
  text: string,
): Promise<RoleNoteView> {
  const path = notesPath(repo, pipeline, role);
  return (await request<{ note: RoleNoteView }>("POST", path, { text })).note;
}
