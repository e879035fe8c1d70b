// spawn_session: starts another session (its own sandbox, timeline and pull request) on a prompt.
import { z } from "zod";
import { MemberNameSchema } from "../../../protocol/team.ts";
import { result, toolError } from "../tool.ts";
import { describeStatus, type TeamTool } from "./port.ts";

const Input = z.object({
  prompt: z
    .string()
    .min(1)
    .max(20_000)
    .describe(
      "What the new session's agent should do, complete in itself: it sees nothing of this conversation.",
    ),
  title: z.string().min(1).max(200).describe("A short title people see in the session list."),
  repo: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "use owner/name")
    .optional()
    .describe("The repository to work on (owner/name); this session's repository when left out."),
  role: z.string().min(1).max(60).optional().describe("The role the session plays, e.g. reviewer."),
  quote: z
    .array(z.string().min(1).max(100))
    .max(5)
    .optional()
    .describe(
      "Names or ids of linked sessions whose answers (their summaries) are quoted word for word into the new session's prompt, e.g. a runbook a knowledge session found. Sessions share no state, so this is how one session's findings reach another.",
    ),
  name: MemberNameSchema.optional().describe(
    "The name to message it by; made from the role when left out.",
  ),
});

export const spawnSession: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "spawn_session",
  access: "read",
  description:
    "Start a new session with its own agent and sandbox, on this repository or another one, and give it a prompt. " +
    "It works in parallel while you go on; it sees nothing of your conversation, so put everything it needs in the prompt. " +
    "Read its progress with session_status, wait for it with wait_for_sessions, message it with send_message, stop it with cancel_session. " +
    "Its final message becomes its summary.",
  input: Input,
  async run(input, { session }) {
    const spawned = await session.spawn({
      prompt: input.prompt,
      title: input.title,
      repo: input.repo ?? null,
      role: input.role ?? null,
      name: input.name ?? null,
      ...(input.quote ? { quote: input.quote } : {}),
    });
    if (!spawned.ok) return toolError(spawned.error.message);
    return result(`Started:\n${describeStatus(spawned.value)}`);
  },
};
