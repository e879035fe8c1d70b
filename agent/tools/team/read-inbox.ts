// read_inbox: the unread messages, oldest first; reading drains them.
import { z } from "zod";
import { result } from "../tool.ts";
import type { TeamTool } from "./port.ts";

const Input = z.object({});

export const readInbox: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "read_inbox",
  access: "read",
  description:
    "Read the messages other sessions sent to this one that you have not read yet, oldest first. Each message is returned once.",
  input: Input,
  async run(_input, { session }) {
    const mail = session.readInbox();
    if (mail.length === 0) return result("No unread messages.");
    return result(
      mail
        .map(
          (m) =>
            `From ${m.from.name} (${m.from.sessionId}) at ${new Date(m.sentAt).toISOString()}:\n${m.text}`,
        )
        .join("\n\n---\n\n"),
    );
  },
};
