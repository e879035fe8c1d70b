// A provider bound to one sandbox, as the session hands tools their sandbox.
import type { SandboxProvider } from "../../sandbox/provider.ts";
import type { ToolSandbox } from "./tool.ts";

export function bindSandbox(
  provider: Pick<SandboxProvider, "exec" | "readFile" | "writeFile">,
  sandboxId: string,
): ToolSandbox {
  return {
    exec(request, options = {}) {
      // One decoder per stream keeps characters split across chunks whole.
      const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
      const { onOutput, signal } = options;
      return provider.exec(sandboxId, request, {
        ...(signal ? { signal } : {}),
        ...(onOutput
          ? {
              onOutput: (stream, data) => onOutput(decoders[stream].decode(data, { stream: true })),
            }
          : {}),
      });
    },
    readFile: (path, options) => provider.readFile(sandboxId, path, options),
    writeFile: (path, data) => provider.writeFile(sandboxId, path, data),
  };
}
