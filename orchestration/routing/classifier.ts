// Decides which space (or spaces) a request goes to, by asking a fast model and checking its answer.
import { z } from "zod";
import type { Usage } from "../../protocol/events.ts";
import type { RouteDecision, RoutingGuide } from "../../protocol/routing.ts";
import { classifierSystemPrompt, classifierUserMessage } from "./classifier-prompt.ts";
import { firstJsonObject } from "./first-json-object.ts";

/** Why the platform asked the fast model; the session it is charged to shows it. */
export type AskPurpose = "routing" | "synthesis";

/** What one fast-model call used and cost. */
export interface AskUsage {
  purpose: AskPurpose;
  model: string;
  call: Usage;
}

/** One call to a fast model: the system prompt and user message in, the answer's text out.
 * `onUsage` hears what the call used, so that whoever asked can be charged for it. */
export type Ask = (request: {
  system: string;
  user: string;
  maxTokens: number;
  purpose: AskPurpose;
  onUsage?: (usage: AskUsage) => void;
}) => Promise<string>;

/** The most tokens the routing answer may take; it is one small JSON object. */
export const CLASSIFIER_MAX_TOKENS = 600;

const Text = z.string().catch("");
const Names = z.array(z.string()).catch([]);
const AnswerSchema = z.discriminatedUnion("route", [
  z.object({ route: z.literal("space"), space: z.string(), reason: Text }),
  z.object({
    route: z.literal("fan_out"),
    spaces: z.array(z.string()),
    skipped: z.array(z.object({ space: z.string(), reason: Text })).catch([]),
    reason: Text,
  }),
  z.object({ route: z.literal("unknown"), question: Text, candidates: Names }),
]);

/** Where `request` goes within `guide`; bad model output becomes a question, a failed `ask` throws. */
export async function classifyRequest(
  input: {
    request: string;
    guide: RoutingGuide;
    fanOut: boolean;
    onUsage?: (usage: AskUsage) => void;
  },
  ask: Ask,
): Promise<RouteDecision> {
  const names = input.guide.spaces.map((s) => s.name);
  if (names.length === 0)
    return {
      kind: "unknown",
      question: `There is no routing guide for ${input.guide.org} yet, so there is no space to send this to. Which repository should it go to?`,
      candidates: [],
    };
  const text = await ask({
    system: classifierSystemPrompt(input.guide.spaces),
    user: classifierUserMessage(input.request, input.fanOut),
    maxTokens: CLASSIFIER_MAX_TOKENS,
    purpose: "routing",
    ...(input.onUsage ? { onUsage: input.onUsage } : {}),
  });
  const answer = AnswerSchema.safeParse(firstJsonObject(text));
  if (!answer.success) return askPerson(names);
  const known = (name: string) => names.find((n) => n === name.trim().toLowerCase());

  switch (answer.data.route) {
    case "space": {
      const space = known(answer.data.space);
      return space
        ? { kind: "space", space, reason: answer.data.reason }
        : askPerson(names, answer.data.space);
    }
    case "fan_out": {
      const chosen = answer.data.spaces.map((s) => [s, known(s)] as const);
      const stranger = chosen.find(([, name]) => name === undefined);
      if (stranger) return askPerson(names, stranger[0]);
      const spaces = [...new Set(chosen.map(([, name]) => name!))];
      if (spaces.length === 0) return askPerson(names);
      // Fan-out never happens by default for a request one space owns.
      if (spaces.length === 1)
        return { kind: "space", space: spaces[0]!, reason: answer.data.reason };
      const given = new Map(
        answer.data.skipped.flatMap((s) => {
          const name = known(s.space);
          return name ? [[name, s.reason] as const] : [];
        }),
      );
      const skipped = names
        .filter((n) => !spaces.includes(n))
        .map((space) => ({ space, reason: given.get(space) || "not chosen for this request" }));
      return { kind: "fan_out", spaces, skipped, reason: answer.data.reason };
    }
    case "unknown": {
      const candidates = [...new Set(answer.data.candidates.flatMap((c) => known(c) ?? []))];
      const offered = candidates.length > 0 ? candidates : names;
      const question = answer.data.question.trim() || whichSpace(offered);
      return { kind: "unknown", question, candidates: offered };
    }
    default:
      return answer.data satisfies never;
  }
}

/** An unknown decision asking the person to choose, naming the space the model made up if any. */
function askPerson(candidates: string[], madeUp?: string): RouteDecision {
  const prefix = madeUp === undefined ? "" : `There is no space \`${madeUp}\` in the guide. `;
  return { kind: "unknown", question: `${prefix}${whichSpace(candidates)}`, candidates };
}

function whichSpace(candidates: readonly string[]): string {
  const list =
    candidates.length === 1
      ? candidates[0]
      : `${candidates.slice(0, -1).join(", ")} or ${candidates.at(-1)}`;
  return `Which space is this request for: ${list}?`;
}
