// The tools of a role's turn: the sandbox tools plus handoff and note.
import { TOOLS } from "../index.ts";
import type { AnyTool } from "../tool.ts";
import { handoff } from "./handoff.ts";
import { note } from "./note.ts";

export const ROLE_TOOLS: readonly AnyTool[] = [...TOOLS, handoff, note];
