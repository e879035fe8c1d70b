// A real sandbox for tool tests: one host and image per test file, a fresh sandbox per test.
import { afterAll, afterEach, beforeAll, beforeEach, describe } from "vitest";
import {
  sandboxTestsUnavailable,
  startTestHost,
  type TestHost,
} from "../../sandbox-host/test-host.ts";
import { makeTestRepo } from "../../sandbox/test-repo.ts";
import { decodeOutput } from "./output.ts";
import { bindSandbox } from "./sandbox-binding.ts";
import type { AnyTool, ToolContext, ToolResult, ToolSandbox } from "./tool.ts";

/** What a test gets: the bound sandbox, a way to call tools, and a shell for checking. */
export interface ToolFixture {
  sandbox: ToolSandbox;
  /** Output the last `call` streamed through `progress`. */
  progress: string[];
  /** Runs a tool with its input validated as the loop would. */
  call(tool: AnyTool, input: unknown, signal?: AbortSignal): Promise<ToolResult>;
  /** Runs a bash script in the workspace and returns its stdout. */
  shell(script: string): Promise<string>;
}

const unavailable = sandboxTestsUnavailable();

/**
 * Registers `body`'s tests against sandboxes of an image of a repository holding `files`
 * (skipped where sandboxes cannot run).
 */
export function describeWithSandbox(
  title: string,
  files: Record<string, string>,
  body: (fixture: () => ToolFixture) => void,
): void {
  describe.skipIf(unavailable !== null)(
    `${title}${unavailable ? ` (skipped: ${unavailable})` : ""}`,
    () => {
      let host: TestHost;
      let imageId: string;
      let current: { id: string; fixture: ToolFixture } | null = null;

      beforeAll(async () => {
        host = await startTestHost();
        const repo = await makeTestRepo(files);
        const image = await host.client.buildImage({
          repo: "acme/tools",
          cloneUrl: repo.dir,
          commit: repo.commits[0]!,
        });
        imageId = image.id;
      });
      afterAll(async () => {
        await host?.stop();
      });
      beforeEach(async () => {
        const { id } = await host.client.createSandbox({ from: { imageId } });
        const sandbox = bindSandbox(host.client, id);
        const progress: string[] = [];
        const fixture: ToolFixture = {
          sandbox,
          progress,
          async call(tool, input, signal = new AbortController().signal) {
            const parsed = tool.input.safeParse(input);
            if (!parsed.success) throw new Error(`invalid test input: ${parsed.error.message}`);
            progress.length = 0;
            const context: ToolContext = {
              sandbox,
              signal,
              progress: (text) => progress.push(text),
            };
            if (tool.kind === "session") throw new Error(`${tool.name} is a session tool`);
            return tool.run(parsed.data, context);
          },
          async shell(script) {
            const result = await sandbox.exec({ argv: ["bash", "-c", script] });
            if (result.exitCode !== 0)
              throw new Error(`${script} failed: ${decodeOutput(result.stderr)}`);
            return decodeOutput(result.stdout);
          },
        };
        current = { id, fixture };
      });
      afterEach(async () => {
        if (current) await host.client.destroySandbox(current.id);
        current = null;
      });

      body(() => {
        if (!current) throw new Error("no sandbox: the fixture is only there inside a test");
        return current.fixture;
      });
    },
  );
}
