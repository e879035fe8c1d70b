// The repository the sandbox benchmark builds its image from, and the work a session leaves in it
// (~400 KB over 50 files: edits, new files in a new folder, one deletion) for the snapshot.
import { randomBytes } from "node:crypto";
import type { SandboxBench } from "./sandbox-harness.ts";

const MODULES = 60;
const EDITED = 30;
const ADDED = 19;
/** The one deleted file; git status shows it as ` D`. */
const DELETED = "src/module-00.ts";
/** How many paths the session changes (git status lines). */
export const SESSION_CHANGED_FILES = EDITED + ADDED + 1;

/** Source-like text: declarations with random literals, so that it compresses like code, not like zeros. */
function sourceText(name: string, lines: number): string {
  const out = [`// ${name}`];
  for (let i = 0; i < lines; i++)
    out.push(`export const ${name}_${i} = "${randomBytes(16).toString("hex")}"; // line ${i}`);
  return `${out.join("\n")}\n`;
}

const modulePath = (i: number) => `src/module-${String(i).padStart(2, "0")}.ts`;

/** The files of the image's first commit: ~60 modules of ~4 KB. */
export function repositoryFiles(): Record<string, string> {
  const files: Record<string, string> = { "README.md": "# bench\n", "package.json": "{}\n" };
  for (let i = 0; i < MODULES; i++) files[modulePath(i)] = sourceText(`module${i}`, 60);
  return files;
}

/** Makes a sandbox's workspace look like the end of a busy turn. */
export async function makeSessionChanges(bench: SandboxBench, sandboxId: string): Promise<void> {
  const encoder = new TextEncoder();
  for (let i = 1; i <= EDITED; i++)
    await bench.client.writeFile(
      sandboxId,
      modulePath(i),
      encoder.encode(sourceText(`edit${i}`, 110)),
    );
  for (let i = 0; i < ADDED; i++)
    await bench.client.writeFile(
      sandboxId,
      `src/generated/part-${i}.ts`,
      encoder.encode(sourceText(`part${i}`, 110)),
    );
  const removed = await bench.client.exec(sandboxId, { argv: ["rm", DELETED] });
  if (removed.exitCode !== 0)
    throw new Error(`rm ${DELETED} in the sandbox exited ${removed.exitCode}`);
}

/** Throws unless `git status` in a restored sandbox shows exactly the session's changes. */
export async function checkSessionChanges(bench: SandboxBench, sandboxId: string): Promise<void> {
  const status = await bench.client.exec(sandboxId, {
    argv: ["git", "status", "--short", "--untracked-files=all"],
  });
  const lines = Buffer.from(status.stdout, "base64").toString().split("\n").filter(Boolean);
  const deleted = lines.includes(` D ${DELETED}`);
  if (status.exitCode !== 0 || lines.length !== SESSION_CHANGED_FILES || !deleted) {
    const stderr = Buffer.from(status.stderr, "base64").toString().slice(0, 500);
    throw new Error(
      `a restored sandbox shows ${lines.length} changes (expected ${SESSION_CHANGED_FILES}, deletion ${deleted ? "present" : "missing"}); git exited ${status.exitCode}: ${stderr}`,
    );
  }
}
