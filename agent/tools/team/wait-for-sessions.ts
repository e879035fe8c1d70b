// wait_for_sessions: blocks until children finish working, or the time is up.
import { z } from "zod";
import { result, toolError } from "../tool.ts";
import { describeStatus, type TeamTool } from "./port.ts";

const Input = z.object({
  sessions: z
    .array(z.string().min(1).max(100))
    .max(50)
    .optional()
    .describe("Names or ids of children to wait for; all children when left out."),
  timeout_seconds: z
    .number()
    .int()
    .min(1)
    .max(600)
    .default(90)
    .describe("How long to wait at most."),
});

export const waitForSessions: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "wait_for_sessions",
  access: "read",
  description:
    "Wait until the given child sessions are no longer working (idle or shut down), or until the timeout. Returns each one's state and summary, and names those still working.",
  input: Input,
  async run(input, { session, signal }) {
    const waited = await session.wait(input.sessions ?? null, input.timeout_seconds * 1000, signal);
    if (!waited.ok) return toolError(waited.error.message);
    const { finished, pending } = waited.value;
    const parts = [];
    if (finished.length > 0) parts.push(`Finished:\n${finished.map(describeStatus).join("\n")}`);
    if (pending.length > 0) {
      parts.push(
        `Still working after ${input.timeout_seconds} s:\n${pending.map(describeStatus).join("\n")}`,
      );
    }
    return result(parts.length > 0 ? parts.join("\n\n") : "There are no children to wait for.");
  },
};
