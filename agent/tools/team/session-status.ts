// session_status: the state and summary of one linked session.
import { z } from "zod";
import { result, toolError } from "../tool.ts";
import { describeStatus, type TeamTool } from "./port.ts";

const Input = z.object({
  session: z
    .string()
    .min(1)
    .max(100)
    .describe('A linked session\'s name ("parent", a child, a sibling) or id.'),
});

export const sessionStatus: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "session_status",
  access: "read",
  description:
    "Read a linked session's state (working, idle, shut down), how its last turn ended, and its summary (its agent's last words).",
  input: Input,
  async run(input, { session }) {
    const status = await session.status(input.session);
    return status.ok ? result(describeStatus(status.value)) : toolError(status.error.message);
  },
};
