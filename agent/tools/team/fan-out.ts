// fan_out: the same question to several spaces at once, answered by a session each, compared.
import { z } from "zod";
import { result, toolError } from "../tool.ts";
import type { TeamTool } from "./port.ts";

const Input = z.object({
  question: z
    .string()
    .min(1)
    .max(8_000)
    .describe("The question every space answers, complete in itself."),
  spaces: z
    .array(z.string().min(1).max(40))
    .max(10)
    .optional()
    .describe(
      "Names of the spaces (from the organisation's routing guide) to ask; chosen from the guide when left out.",
    ),
  timeout_seconds: z
    .number()
    .int()
    .min(5)
    .max(600)
    .default(90)
    .describe("How long each space has to answer before it is skipped."),
});

export const fanOut: TeamTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "fan_out",
  access: "read",
  description:
    "Ask several spaces (repositories or environments of the organisation's routing guide) the same question in parallel, one new session each, and get one comparison back: what is the same, what differs, and which spaces did not answer in time. " +
    "Use it only when a question really spans spaces (e.g. compare staging and production); a question one space owns goes to that space alone (spawn_session).",
  input: Input,
  async run(input, { session, signal }) {
    const done = await session.fanOut(
      input.question,
      input.spaces ?? null,
      input.timeout_seconds * 1000,
      signal,
    );
    if (!done.ok) return toolError(done.error.message);
    const { synthesis, answered, skipped } = done.value;
    const lines = [synthesis, "", `Answered: ${answered.join(", ") || "none"}.`];
    if (skipped.length > 0) lines.push(`Skipped: ${skipped.join("; ")}.`);
    return result(lines.join("\n"));
  },
};
