// Which scripted response answers a request: the script named by a `[script:NAME]` marker in the
// conversation's text, and the response numbered by how many assistant messages came before.
import type { RequestMessage } from "./request-schema.ts";
import { SCRIPT_MARKER } from "./script.ts";

/** The script named by the first `[script:NAME]` marker in `text`, if any. */
export function findMarker(text: string): string | null {
  return SCRIPT_MARKER.exec(text)?.[1] ?? null;
}

/** The text a message shows: its string content or its text blocks (tool results excluded). */
export function messageText(message: RequestMessage): string[] {
  if (typeof message.content === "string") return [message.content];
  return message.content.flatMap((block) => (block.type === "text" ? [block.text] : []));
}

/**
 * The first script marker in the messages' text, in order. Tool results are not searched, so a
 * file the agent reads cannot switch the script.
 */
export function scriptMarker(messages: readonly RequestMessage[]): string | null {
  for (const message of messages) {
    for (const text of messageText(message)) {
      const found = findMarker(text);
      if (found !== null) return found;
    }
  }
  return null;
}

/** The response index: a turn's calls get 0, 1, 2…, and a follow-up prompt continues the count. */
export function responseIndex(messages: readonly RequestMessage[]): number {
  return messages.filter((message) => message.role === "assistant").length;
}
