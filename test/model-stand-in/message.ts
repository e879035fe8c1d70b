// The assistant message the stand-in answers with: a scripted response filled in with ids, the
// stop reason and token counts, in the shape the Messages API returns.
import type { MessagesRequest } from "./request-schema.ts";
import type { MessageResponse } from "./script.ts";

/** A content block of an answer. */
export type AnswerBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** Token counts as the API reports them. */
export interface AnswerUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** A complete assistant message, as a non-streaming request gets it. */
export interface Answer {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnswerBlock[];
  stop_reason: NonNullable<MessageResponse["stop_reason"]>;
  stop_sequence: null;
  usage: AnswerUsage;
}

/** A rough token count: about four bytes of text per token. */
export function roughTokens(value: unknown): number {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return Math.ceil(Buffer.byteLength(text) / 4);
}

/** Fills in `response` as the answer to `request`; `id` numbers this answer's ids. */
export function buildAnswer(
  response: MessageResponse,
  request: MessagesRequest,
  id: string,
): Answer {
  const content: AnswerBlock[] = response.content.map((block, index) =>
    block.type === "text"
      ? { type: "text", text: block.text }
      : {
          type: "tool_use",
          id: block.id ?? `toolu_standin_${id}_${index}`,
          name: block.name,
          input: block.input,
        },
  );
  const usage = response.usage ?? {};
  return {
    id: `msg_standin_${id}`,
    type: "message",
    role: "assistant",
    model: request.model,
    content,
    stop_reason:
      response.stop_reason ??
      (content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn"),
    stop_sequence: null,
    usage: {
      input_tokens:
        usage.input_tokens ??
        roughTokens({ system: request.system, tools: request.tools, messages: request.messages }),
      output_tokens: usage.output_tokens ?? Math.max(1, roughTokens(content)),
      cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    },
  };
}

/** A plain text answer, for requests the stand-in has nothing scripted for. */
export function textResponse(text: string): MessageResponse {
  return { content: [{ type: "text", text }] };
}
