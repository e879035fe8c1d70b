// One short, unstreamed model call: a system prompt and a message in, text out. Used where the
// platform itself needs a model's judgement (routing a request, comparing answers).
import Anthropic from "@anthropic-ai/sdk";
import type { Ask } from "../orchestration/routing/classifier.ts";
import type { ModelServer } from "./model.ts";
import { usageOfCall } from "./pricing.ts";

/** How long one of these calls may take. */
const ASK_TIMEOUT_MS = 60_000;

export function modelAsk(server: ModelServer, model: string): Ask {
  const client = new Anthropic({
    apiKey: server.apiKey,
    ...(server.baseURL ? { baseURL: server.baseURL } : {}),
    maxRetries: 2,
    timeout: ASK_TIMEOUT_MS,
  });
  return async ({ system, user, maxTokens, purpose, onUsage }) => {
    const message = await client.messages.create({
      model,
      max_tokens: maxTokens,
      system,
      messages: [{ role: "user", content: user }],
    });
    onUsage?.({ purpose, model, call: usageOfCall(model, message.usage) });
    return message.content
      .flatMap((block) => (block.type === "text" ? [block.text] : []))
      .join("")
      .trim();
  };
}
