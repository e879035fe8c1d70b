// Where a session's pipeline runs get their definitions, notes and contract checks: the
// repository's own `.tandem/pipelines/*.yaml` (read in the session's sandbox), the definitions and
// notes registered in D1, and commands run in the workspace.
import { bindSandbox } from "../../agent/tools/sandbox-binding.ts";
import { decodeOutput } from "../../agent/tools/output.ts";
import type { ContractProbe } from "../../orchestration/pipelines/contracts.ts";
import { formatPipelineIssue, parsePipelineYaml } from "../../orchestration/pipelines/parse.ts";
import { fail, ok } from "../../protocol/errors.ts";
import type { Database } from "../../worker/db/database.ts";
import { addNote, listPipelines, loadPipeline, notesOf } from "../../worker/pipelines/library.ts";
import type { PipelineSummary } from "../../protocol/pipelines.ts";
import type { PipelineLibrary } from "./pipelines.ts";
import type { SessionSandbox } from "./session-sandbox.ts";
import type { SessionStore } from "./store.ts";

/** How long a run start waits for the sandbox to read the repository's pipeline file. */
const FILE_WAIT_MS = 5_000;
/** How long a contract check waits for the workspace to be synced. */
const SYNC_WAIT_MS = 120_000;
/** The longest a contract's command may run. */
const COMMAND_TIMEOUT_MS = 10 * 60_000;

/** The pipelines in the workspace's `.tandem/pipelines/`, when the sandbox is there to read them. */
async function workspacePipelines(sandbox: SessionSandbox): Promise<PipelineSummary[]> {
  if (!sandbox.provider) return [];
  const ready = await sandbox.whenExists(AbortSignal.timeout(FILE_WAIT_MS)).catch(() => null);
  if (!ready?.ok) return [];
  const box = bindSandbox(sandbox.provider, ready.sandboxId);
  const listed = await box.exec({
    argv: ["find", ".tandem/pipelines", "-maxdepth", "1", "-name", "*.yaml", "-type", "f"],
    cwd: "/workspace",
  });
  const files = decodeOutput(listed.stdout).split("\n").filter(Boolean).sort().slice(0, 50);
  const found: PipelineSummary[] = [];
  for (const file of files) {
    const read = await box.readFile(`/workspace/${file}`, { maxBytes: 256 * 1024 });
    if (!read.found) continue;
    const parsed = parsePipelineYaml(new TextDecoder().decode(read.data), file);
    if (!parsed.ok) continue;
    const { name, description, roles, maxRounds } = parsed.value;
    found.push({
      name,
      description,
      roles: roles.map((role) => role.name),
      maxRounds,
      source: "repository",
      updatedAt: null,
    });
  }
  return found;
}

export function pipelineLibrary(db: Database, sandbox: SessionSandbox): PipelineLibrary {
  return {
    async available(repo) {
      const [own, registered] = await Promise.all([
        workspacePipelines(sandbox),
        listPipelines(db, repo),
      ]);
      const names = new Set(own.map((p) => p.name));
      return [...own, ...registered.filter((p) => !names.has(p.name))];
    },
    async definition(repo, name) {
      const file = `.tandem/pipelines/${name}.yaml`;
      const ready = sandbox.provider
        ? await sandbox.whenExists(AbortSignal.timeout(FILE_WAIT_MS)).catch(() => null)
        : null;
      if (ready?.ok) {
        const read = await sandbox.provider!.readFile(ready.sandboxId, `/workspace/${file}`, {
          maxBytes: 256 * 1024,
        });
        if (read.found) {
          const parsed = parsePipelineYaml(new TextDecoder().decode(read.data), file);
          if (!parsed.ok) {
            return fail(
              "invalid_input",
              `The repository's pipeline is not valid:\n${parsed.issues.map((i) => `- ${formatPipelineIssue(i, file)}`).join("\n")}`,
            );
          }
          return ok(parsed.value);
        }
      }
      const registered = await loadPipeline(db, repo, name);
      return registered
        ? ok(registered)
        : fail(
            "not_found",
            `${repo} has no pipeline named ${name}: add ${file} to the repository, or register it with PUT /api/repositories/${repo}/pipelines/${name}.`,
          );
    },
    async notes(repo, pipeline, role) {
      return (await notesOf(db, { repo, pipeline, role })).map((note) => ({
        text: note.text,
        source: note.source,
        at: note.at,
      }));
    },
    async addNote(note, at) {
      await addNote(db, { ...note, source: "agent", authorId: null }, at);
    },
  };
}

export function workspaceProbe(sandbox: SessionSandbox, store: SessionStore): ContractProbe {
  const workspace = async () => {
    const ready = await sandbox.whenSynced(AbortSignal.timeout(SYNC_WAIT_MS));
    if (!ready.ok) throw new Error(`the workspace is not available: ${ready.reason}`);
    return bindSandbox(sandbox.provider!, ready.sandboxId);
  };
  return {
    async changes() {
      const box = await workspace();
      const status = await box.exec({ argv: ["git", "status", "--porcelain"], cwd: "/workspace" });
      if (decodeOutput(status.stdout).trim() !== "") return true;
      const base = store.sandbox().commit;
      if (!base) return false;
      const diff = await box.exec({ argv: ["git", "diff", "--quiet", base], cwd: "/workspace" });
      return diff.exitCode !== 0;
    },
    async command(argv) {
      const box = await workspace();
      const run = await box.exec({ argv, cwd: "/workspace", timeoutMs: COMMAND_TIMEOUT_MS });
      return {
        exitCode: run.timedOut ? 124 : (run.exitCode ?? 128),
        output: `${decodeOutput(run.stdout)}${decodeOutput(run.stderr)}`,
      };
    },
  };
}
