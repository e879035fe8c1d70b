// send_message: appends a message to one linked session's mailbox (waking it when idle).
import { z } from "zod";
import { MAX_MAIL_CHARS } from "../../../protocol/team.ts";
import { result, toolError } from "../tool.ts";
import type { TeamTool } from "./port.ts";

const Input = z.object({
  to: z
    .string()
    .min(1)
    .max(100)
    .describe("\"parent\", a child's or sibling's name, or a linked session id."),
  text: z.string().min(1).max(MAX_MAIL_CHARS),
});

export const sendMessage: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "send_message",
  access: "read",
  description:
    'Send a message to a linked session\'s mailbox: the session that started you ("parent"), one you started, or a sibling. An idle session wakes up to read it.',
  input: Input,
  async run(input, { session }) {
    const sent = await session.send(input.to, input.text);
    return sent.ok ? result(`Delivered to ${sent.value.to}.`) : toolError(sent.error.message);
  },
};
