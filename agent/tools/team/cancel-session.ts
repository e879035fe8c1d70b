// cancel_session: stops a child and shuts it down for good.
import { z } from "zod";
import { result, toolError } from "../tool.ts";
import { describeStatus, type TeamTool } from "./port.ts";

const Input = z.object({
  session: z.string().min(1).max(100).describe("The name or id of a session this session started."),
});

export const cancelSession: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "cancel_session",
  access: "read",
  description:
    "Stop a session this session started: its running turn is stopped, its queued prompts are cancelled and it is shut down (mail no longer wakes it). Its work so far stays on its branch.",
  input: Input,
  async run(input, { session }) {
    const cancelled = await session.cancel(input.session);
    return cancelled.ok
      ? result(`Shut down:\n${describeStatus(cancelled.value)}`)
      : toolError(cancelled.error.message);
  },
};
