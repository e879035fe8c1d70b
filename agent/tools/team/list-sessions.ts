// list_sessions: every session this one started, with their states.
import { z } from "zod";
import { result } from "../tool.ts";
import { describeStatus, type TeamTool } from "./port.ts";

const Input = z.object({});

export const listSessions: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "list_sessions",
  access: "read",
  description:
    "List the sessions this session started (its children), with each one's state and summary.",
  input: Input,
  async run(_input, { session }) {
    const children = await session.children();
    return result(
      children.length === 0
        ? "This session has not started any sessions."
        : children.map(describeStatus).join("\n"),
    );
  },
};
