// The team tools, in the order the model is shown them (after the sandbox tools).
import type { AnyTool } from "../tool.ts";
import { broadcast } from "./broadcast.ts";
import { cancelSession } from "./cancel-session.ts";
import { fanOut } from "./fan-out.ts";
import { listSessions } from "./list-sessions.ts";
import { readInbox } from "./read-inbox.ts";
import { sendMessage } from "./send-message.ts";
import { sessionStatus } from "./session-status.ts";
import { spawnSession } from "./spawn-session.ts";
import { waitForSessions } from "./wait-for-sessions.ts";

export const TEAM_TOOLS: readonly AnyTool[] = [
  spawnSession,
  sessionStatus,
  listSessions,
  waitForSessions,
  cancelSession,
  sendMessage,
  broadcast,
  readInbox,
  fanOut,
];
