// expose_port: publishes a server the agent started in the sandbox as a preview that the people
// in the session open in their browsers.
import { z } from "zod";
import type { Result } from "../../protocol/errors.ts";
import { PreviewLabelSchema, PreviewPortSchema } from "../../protocol/previews.ts";
import { result, toolError, type SessionTool } from "./tool.ts";

/** What publishing a port did. */
export interface PublishedPreview {
  port: number;
  label: string;
  url: string;
  /** False when a server listens but did not answer a first request in time (still compiling). */
  answered: boolean;
}

/** What expose_port needs from the session: publishing a port of its sandbox. */
export interface PreviewPort {
  /** Fails with port_unreachable while nothing listens on the port. */
  expose(
    port: number,
    label: string | null,
    signal: AbortSignal,
  ): Promise<Result<PublishedPreview>>;
}

/** The session port of the turns that may publish previews. */
export interface PreviewToolPort {
  previews: PreviewPort;
}

const DESCRIPTION = `Publishes a web server running in the sandbox as a preview: everyone in the session can then open it, live, in their browser (WebSockets and hot reload included), from the Previews panel.
- Start the server first, with run_command, detached so that it keeps running after the command ends, listening on 127.0.0.1 (or 0.0.0.0): for example \`setsid -f npm run dev -- --port 3000 > /tmp/dev-server.log 2>&1\` or \`setsid -f python3 -m http.server 8000 > /tmp/http.log 2>&1\`. Then call expose_port with that port.
- It fails, saying so, while nothing listens on the port yet: check the server's log, wait for it to start, and call again.
- Publishing a port again only renames it. Ports stay published across sandbox restarts, but servers do not: after the sandbox was stopped or replaced, start the server again.`;

const Input = z.object({
  port: PreviewPortSchema.describe("The port the server listens on inside the sandbox."),
  label: PreviewLabelSchema.optional().describe(
    'A short name people see beside the port, e.g. "web app" or "storybook".',
  ),
});

/** Publishes a port of the sandbox as a preview. */
export const exposePort: SessionTool<z.infer<typeof Input>, PreviewToolPort> = {
  kind: "session",
  name: "expose_port",
  access: "read",
  description: DESCRIPTION,
  input: Input,
  async run(input, { session, signal }) {
    if (!session.previews) return toolError("Previews are not available in this session.");
    const published = await session.previews.expose(input.port, input.label ?? null, signal);
    if (!published.ok) return toolError(published.error.message);
    const { port, label, url, answered } = published.value;
    const lines = [
      `Port ${port} is published as the preview "${label}": people in the session open it from the Previews panel (${url}).`,
    ];
    if (!answered)
      lines.push(
        "The server accepted a connection but did not answer a first request within a few seconds; it may still be starting.",
      );
    return result(lines.join("\n"));
  },
};
