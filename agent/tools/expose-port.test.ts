import { describe, expect, it } from "vitest";
import { fail, ok } from "../../protocol/errors.ts";
import { exposePort, type PreviewPort } from "./expose-port.ts";
import { parseToolInput } from "./index.ts";

const context = (previews: PreviewPort) => ({
  session: { previews },
  signal: new AbortController().signal,
  progress: () => {},
});

describe("expose_port", () => {
  it("publishes the port and tells the model where people open it", async () => {
    const calls: unknown[] = [];
    const previews: PreviewPort = {
      expose: async (port, label) => {
        calls.push([port, label]);
        return ok({
          port,
          label: label ?? `Port ${port}`,
          url: "http://ses-x--3000.localhost/",
          answered: true,
        });
      },
    };
    const answer = await exposePort.run({ port: 3000, label: "web app" }, context(previews));
    expect(calls).toEqual([[3000, "web app"]]);
    expect(answer.isError).toBe(false);
    expect(answer.output).toContain('Port 3000 is published as the preview "web app"');
  });

  it("passes on what to do when nothing listens yet", async () => {
    const previews: PreviewPort = {
      expose: async () =>
        fail("port_unreachable", "Nothing listens on port 3000 in the sandbox yet."),
    };
    const answer = await exposePort.run({ port: 3000 }, context(previews));
    expect(answer).toEqual({
      isError: true,
      output: "Nothing listens on port 3000 in the sandbox yet.",
    });
  });

  it("says a slow server may still be starting", async () => {
    const previews: PreviewPort = {
      expose: async (port) => ok({ port, label: "Port 8000", url: "u", answered: false }),
    };
    expect((await exposePort.run({ port: 8000 }, context(previews))).output).toContain(
      "may still be starting",
    );
  });

  it("refuses ports out of range with a message naming the field", () => {
    const parsed = parseToolInput(exposePort, { port: 70_000 });
    expect(!parsed.ok && parsed.error.message).toContain("- port:");
  });
});
