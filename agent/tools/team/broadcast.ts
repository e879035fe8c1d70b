// broadcast: the same message to every linked session.
import { z } from "zod";
import { MAX_MAIL_CHARS } from "../../../protocol/team.ts";
import { toolError } from "../tool.ts";
import type { TeamTool } from "./port.ts";

const Input = z.object({ text: z.string().min(1).max(MAX_MAIL_CHARS) });

export const broadcast: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "broadcast",
  access: "read",
  description:
    "Send one message to every linked session: your parent, your children and your siblings.",
  input: Input,
  async run(input, { session }) {
    const sent = await session.broadcast(input.text);
    if (!sent.ok) return toolError(sent.error.message);
    const { delivered, failed } = sent.value;
    const lines = [
      delivered.length > 0 ? `Delivered to ${delivered.join(", ")}.` : "Delivered to nobody.",
      ...failed.map((line) => `Not delivered: ${line}`),
    ];
    return { output: lines.join("\n"), isError: delivered.length === 0 };
  },
};
