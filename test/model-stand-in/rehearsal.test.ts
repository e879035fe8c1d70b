// The rehearsal, driven as the agent drives a model: each tool call it makes is carried out on a
// real demo repository and its result fed back, until it ends the turn.
import Anthropic from "@anthropic-ai/sdk";
import { exec } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoRepo } from "../demo-repo/create.ts";
import { REHEARSAL_CALLS } from "./rehearsal.ts";
import { startModelStandIn, type ModelStandIn } from "./server.ts";

const shell = promisify(exec);

/** The agent's tools and the inputs each takes. */
const TOOL_INPUTS: Record<string, string[]> = {
  list_files: ["path"],
  read_file: ["path", "offset", "limit"],
  edit_file: ["path", "old_string", "new_string"],
  write_file: ["path", "content"],
  grep: ["pattern", "path"],
  run_command: ["command", "timeout_ms"],
  git_status: [],
  git_diff: [],
};

/** Just enough of the agent's tools to carry out the rehearsal in `dir`. */
async function runTool(
  dir: string,
  use: Anthropic.ToolUseBlock,
): Promise<{ output: string; isError: boolean }> {
  const input = use.input as Record<string, string>;
  const command = async (line: string) => {
    try {
      const { stdout, stderr } = await shell(line, { cwd: dir });
      return { output: stdout + stderr, isError: false };
    } catch (error) {
      const failed = error as { stdout: string; stderr: string; code: number };
      return { output: `${failed.stdout}${failed.stderr}exit code ${failed.code}`, isError: true };
    }
  };
  switch (use.name) {
    case "list_files":
      return command("git ls-files --cached --others --exclude-standard");
    case "read_file":
      return { output: await readFile(join(dir, input.path!), "utf8"), isError: false };
    case "edit_file": {
      const path = join(dir, input.path!);
      const before = await readFile(path, "utf8");
      if (before.split(input.old_string!).length !== 2) {
        return { output: `old_string must occur exactly once in ${input.path}`, isError: true };
      }
      await writeFile(
        path,
        before.replace(input.old_string!, () => input.new_string!),
      );
      return { output: `edited ${input.path}`, isError: false };
    }
    case "run_command":
      return command(input.command!);
    case "git_status":
      return command("git status --short");
    case "git_diff":
      return command("git diff");
    default:
      return { output: `no tool ${use.name}`, isError: true };
  }
}

/** One agent turn: calls the model until it stops asking for tools. */
async function turn(standIn: ModelStandIn, dir: string, history: Anthropic.MessageParam[]) {
  const client = new Anthropic({ apiKey: "test", baseURL: standIn.url, maxRetries: 0 });
  const calls: Anthropic.Message[] = [];
  const results: { use: Anthropic.ToolUseBlock; output: string; isError: boolean }[] = [];
  for (let call = 0; call < 20; call++) {
    const message = await client.messages
      .stream({ model: "claude-stand-in", max_tokens: 4096, messages: history })
      .finalMessage();
    calls.push(message);
    history.push({ role: "assistant", content: message.content as Anthropic.ContentBlockParam[] });
    if (message.stop_reason !== "tool_use") break;
    const answers: Anthropic.ToolResultBlockParam[] = [];
    for (const use of message.content.filter((block) => block.type === "tool_use")) {
      const result = await runTool(dir, use);
      results.push({ use, ...result });
      answers.push({
        type: "tool_result",
        tool_use_id: use.id,
        content: result.output,
        is_error: result.isError,
      });
    }
    history.push({ role: "user", content: answers });
  }
  return { calls, results };
}

const texts = (calls: Anthropic.Message[]) =>
  calls.flatMap((message) =>
    message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])),
  );

describe("rehearsal", () => {
  let standIn: ModelStandIn;
  let root: string;
  beforeAll(async () => {
    standIn = await startModelStandIn({ rehearsal: true, rehearsalPacing: {}, seed: 2 });
    root = await mkdtemp(join(tmpdir(), "tandem-rehearsal-"));
  });
  afterAll(async () => {
    await standIn.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("looks, reads, tests, adds median with tests, tests again, shows the diff and sums up", async () => {
    const { dir } = await createDemoRepo(join(root, "walk"));
    const history: Anthropic.MessageParam[] = [
      { role: "user", content: "Please improve this project." },
    ];
    const { calls, results } = await turn(standIn, dir, history);

    expect(calls).toHaveLength(REHEARSAL_CALLS);
    expect(calls.at(-1)!.stop_reason).toBe("end_turn");
    expect(results.map((result) => result.use.name)).toEqual([
      "list_files",
      "read_file",
      "read_file",
      "run_command",
      "edit_file",
      "edit_file",
      "edit_file",
      "run_command",
      "git_status",
      "git_diff",
    ]);
    for (const { use, isError, output } of results) {
      expect(
        Object.keys(use.input as object).every((key) => TOOL_INPUTS[use.name]!.includes(key)),
      ).toBe(true);
      expect({ tool: use.name, isError, output }).toMatchObject({ isError: false });
    }
    expect(results[7]!.output).toMatch(/Ran 9 tests[\s\S]*OK/);
    expect(results[9]!.output).toContain("+def median(values):");

    const said = texts(calls);
    expect(said[0]).toMatch(/rehearsal model/);
    expect(said[0]).toMatch(/no Anthropic API key is configured/);
    expect(said.every((text) => /rehearsal/i.test(text))).toBe(true);
    expect(said.at(-1)).toMatch(/That was a rehearsal[\s\S]*The tests pass\./);

    const { stderr } = await shell("python3 -m unittest -q", { cwd: dir });
    expect(stderr).toMatch(/Ran 9 tests/);
  });

  it("answers a follow-up prompt by saying its script has ended", async () => {
    const { dir } = await createDemoRepo(join(root, "follow-up"));
    const history: Anthropic.MessageParam[] = [{ role: "user", content: "Go." }];
    await turn(standIn, dir, history);
    history.push({ role: "user", content: "Now rename mean to average." });
    const { calls } = await turn(standIn, dir, history);
    expect(calls).toHaveLength(1);
    expect(texts(calls)[0]).toMatch(/still the rehearsal model/);
  });

  it("notes a failed tool call instead of pretending it worked", async () => {
    const { dir } = await createDemoRepo(join(root, "changed"));
    // A repository the script does not fit: its edits cannot apply.
    await writeFile(join(dir, "stats.py"), "# nothing here\n");
    const { calls, results } = await turn(standIn, dir, [{ role: "user", content: "Go." }]);
    expect(results.some((result) => result.isError)).toBe(true);
    expect(
      texts(calls).some((text) =>
        text.startsWith("(Rehearsal note: the last tool call reported a problem."),
      ),
    ).toBe(true);
    expect(texts(calls).at(-1)).toMatch(/A tool reported a problem on the way/);
  });

  it("leaves requests with a script marker to the script", async () => {
    standIn.setScript("scripted", {
      responses: [{ content: [{ type: "text", text: "scripted, not rehearsed" }] }],
    });
    const client = new Anthropic({ apiKey: "test", baseURL: standIn.url, maxRetries: 0 });
    const message = await client.messages.create({
      model: "m",
      max_tokens: 64,
      messages: [{ role: "user", content: "[script:scripted]" }],
    });
    expect(message.content).toEqual([{ type: "text", text: "scripted, not rehearsed" }]);
  });
});
