// The models people pick from, and the check a model name typed by hand must pass.
import { ModelNameSchema } from "../../../protocol/api.ts";

/** A model offered in the pickers. */
export interface ModelChoice {
  id: string;
  label: string;
  /** A few words on when to pick it. */
  note: string;
}

/** The model a new session starts with unless another is picked. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

/** The current models, the default first. */
export const MODEL_CHOICES: readonly ModelChoice[] = [
  { id: DEFAULT_MODEL, label: "Claude Sonnet 5.5", note: "balanced" },
  { id: "claude-opus-5-5", label: "Claude Opus 5.5", note: "most capable" },
  { id: "claude-haiku-5-5", label: "Claude Haiku 5.5", note: "fastest" },
];

/** The picker value that means "a model not in the list", typed by hand. */
export const OTHER_MODEL = "other";

/** What a model picker holds: a listed model, or OTHER_MODEL with the typed name. */
export interface ModelPick {
  choice: string;
  other: string;
}

/** The pick that shows `model`: its list entry, or "other" with its name. */
export function pickFor(model: string): ModelPick {
  return MODEL_CHOICES.some((m) => m.id === model)
    ? { choice: model, other: "" }
    : { choice: OTHER_MODEL, other: model };
}

/** Why a hand-typed model name would be refused, in words for people; null when it is fine. */
export function modelNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return "Write the model's name, e.g. claude-sonnet-5-5.";
  const parsed = ModelNameSchema.safeParse(trimmed);
  if (parsed.success) return null;
  if (parsed.error.issues.some((issue) => issue.code === "too_big"))
    return "A model name is at most 100 characters.";
  return "A model name has only letters, digits and . _ : @ / -";
}

/** The model a pick names, or the problem with a hand-typed one. */
export function modelOf(
  pick: ModelPick,
): { ok: true; model: string } | { ok: false; problem: string } {
  if (pick.choice !== OTHER_MODEL) return { ok: true, model: pick.choice };
  const problem = modelNameProblem(pick.other);
  return problem ? { ok: false, problem } : { ok: true, model: pick.other.trim() };
}
