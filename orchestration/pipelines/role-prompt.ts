// The prompt that opens a role's turn: who it is, its work, what it was handed and how it hands over.
import { listWords } from "../../sandbox-images/recipe-messages.ts";
import { describeCondition } from "./contracts.ts";
import type { PipelineDefinition, RoleDefinition } from "./definition.ts";
import type { RoleInput } from "./run-state.ts";

/** Something kept for a role's future runs: written by the role itself, or feedback from a person. */
export interface RoleNote {
  text: string;
  source: "agent" | "person";
  at: number;
}

/** Everything a role's prompt is made of; `notes` are this role's own, no other role's. */
export interface RolePromptInput {
  pipeline: PipelineDefinition;
  role: RoleDefinition;
  request: string;
  round: number;
  notes: readonly RoleNote[];
  input: RoleInput;
}

const OWN_FIELDS = new Set(["summary", "verdict"]);

/** The prompt text for one role's turn; the same input always gives the same text. */
export function rolePrompt({
  pipeline,
  role,
  request,
  round,
  notes,
  input,
}: RolePromptInput): string {
  const position = pipeline.roles.findIndex((each) => each.name === role.name) + 1;
  const intro = [
    `You are \`${role.name}\`, role ${position} of ${pipeline.roles.length} in the pipeline \`${pipeline.name}\`. This is round ${round} of at most ${pipeline.maxRounds} for this role.`,
    ...(pipeline.description === null ? [] : [`The pipeline: ${pipeline.description}`]),
    `Its roles run one after another in this session: ${pipeline.roles.map((each) => each.name).join(" → ")}. Each role has its own conversation: what earlier roles did reaches you only through what they handed over (below) and the workspace.`,
  ].join("\n");
  return [
    intro,
    section("Your instructions", role.instructions.trim()),
    section("The request", request.trim()),
    ...notesSections(notes),
    section("What was handed to you", handedOver(input)),
    section("What you must hand over", outputContract(role)),
    section("How to finish", howToFinish(role)),
  ].join("\n\n");
}

function section(title: string, body: string): string {
  return `## ${title}\n\n${body}`;
}

function notesSections(notes: readonly RoleNote[]): string[] {
  const sorted = [...notes].sort((a, b) => a.at - b.at);
  const lines = (source: RoleNote["source"]) =>
    sorted
      .filter((note) => note.source === source)
      .map((note) => `- [${new Date(note.at).toISOString().slice(0, 10)}] ${note.text.trim()}`);
  const person = lines("person");
  const agent = lines("agent");
  return [
    ...(person.length === 0
      ? []
      : [
          section(
            "Feedback from people on this role",
            `People who watch this pipeline left this feedback for this role. Follow it; it outranks your own notes.\n${person.join("\n")}`,
          ),
        ]),
    ...(agent.length === 0
      ? []
      : [section("Your notes from earlier runs", `You kept these notes.\n${agent.join("\n")}`)]),
  ];
}

function handedOver({ fields, verdict, handoff }: RoleInput): string {
  const named = Object.keys(fields)
    .filter((key) => !OWN_FIELDS.has(key))
    .sort();
  if (handoff === null && named.length === 0)
    return "Nothing was handed to you: you are the first role of this run to run.";
  const parts: string[] = [];
  if (handoff !== null) parts.push(`\`${handoff.role}\` handed over:\n${handoff.summary.trim()}`);
  if (verdict !== null) parts.push(`Its verdict: ${verdict}`);
  if (named.length > 0)
    parts.push(
      `Fields handed over so far in this run (a later value of a field replaces an earlier one):\n${named
        .map((key) => `### ${key}\n${fields[key] ?? ""}`)
        .join("\n\n")}`,
    );
  return parts.join("\n\n");
}

function outputContract(role: RoleDefinition): string {
  if (role.output.length === 0) return "Your role has no output contract.";
  const lines = role.output.map((condition) => `- ${describeCondition(condition)}`);
  return `When you hand over, all of this must hold, or the run stops:\n${lines.join("\n")}`;
}

function howToFinish(role: RoleDefinition): string {
  const verdicts = [
    ...new Set(
      [...role.output, ...role.next.flatMap((transition) => transition.when)].flatMap(
        (condition) => ("verdict" in condition ? condition.verdict : []),
      ),
    ),
  ];
  const required = role.output.flatMap((condition) =>
    "has" in condition && !OWN_FIELDS.has(condition.has) ? [`\`${condition.has}\``] : [],
  );
  const fields =
    required.length === 0
      ? "- fields: named text the roles after you need, such as findings or a test plan; optional."
      : `- fields: must include ${listWords(required, "and")}; add any other named text the roles after you need.`;
  return [
    "When your work is done, call the `handoff` tool exactly once, with:",
    "- summary: what you did, and what the roles after you need to know.",
    verdicts.length === 0
      ? "- verdict: optional; a single word, when your instructions ask for one."
      : `- verdict: one of ${listWords(verdicts, "or")}.`,
    fields,
    "Your turn ends with the handoff; do not work on after it.",
    "",
    "To keep something for your future runs of this role, call the `note` tool. Notes stay with this role across runs of the pipeline; keep them short and lasting, about how to do this role's work well in this repository, not about this one request.",
  ].join("\n");
}
