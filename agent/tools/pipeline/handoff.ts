// handoff: how a role finishes its turn — what it did, its verdict, and fields for the roles after it.
import { HandoffInputSchema, type HandoffInput } from "../../../orchestration/pipelines/handoff.ts";
import { result, toolError } from "../tool.ts";
import type { RoleTool } from "./port.ts";

export const handoff: RoleTool<HandoffInput> = {
  kind: "session",
  name: "handoff",
  access: "read",
  description:
    "Hand your work over to the next role of the pipeline. Call it exactly once, when your work is done: " +
    "a summary of what you did and what the next roles need to know, your verdict when your instructions ask for one " +
    "(e.g. approved or changes_requested), and named fields the next roles or the output contract need (e.g. findings). " +
    "After it, end your turn with a short closing message.",
  input: HandoffInputSchema,
  async run(input, { session }) {
    const handed = session.handoff(input);
    return handed.ok
      ? result(`Handed over. ${handed.value.next}`)
      : toolError(handed.error.message);
  },
};
