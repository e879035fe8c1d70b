// note: keeps something for this role's future runs (its notes persist across runs).
import { z } from "zod";
import { result, toolError } from "../tool.ts";
import type { RoleTool } from "./port.ts";

const Input = z.object({
  text: z
    .string()
    .min(1)
    .max(4_000)
    .describe("What your future runs should know: a finding, a convention, a mistake to avoid."),
});

export const note: RoleTool<z.infer<typeof Input>> = {
  kind: "session",
  name: "note",
  access: "read",
  description:
    "Add a note to your role's notes. Notes persist across runs of this role (and only this role sees them): keep what a later run should remember, such as earlier findings or the team's conventions.",
  input: Input,
  async run(input, { session }) {
    const saved = await session.note(input.text);
    return saved.ok
      ? result(`Noted for ${session.role}'s future runs.`)
      : toolError(saved.error.message);
  },
};
