// The Messages API request body as the stand-in checks it: the fields Anthropic documents, unknown
// top-level fields refused as the real API refuses them, content blocks checked for their key fields.
import { z } from "zod";

const CacheControl = z.looseObject({ type: z.literal("ephemeral") }).nullish();

const TextBlock = z.looseObject({
  type: z.literal("text"),
  text: z.string(),
  cache_control: CacheControl,
});
const ImageBlock = z.looseObject({
  type: z.literal("image"),
  source: z.looseObject({ type: z.string() }),
});
const DocumentBlock = z.looseObject({
  type: z.literal("document"),
  source: z.looseObject({ type: z.string() }),
});
const ToolUseBlock = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string().regex(/^[a-zA-Z0-9_-]+$/),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
const ToolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: z
    .union([z.string(), z.array(z.union([TextBlock, ImageBlock, DocumentBlock]))])
    .optional(),
  is_error: z.boolean().optional(),
});
const ThinkingBlock = z.looseObject({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string(),
});
const RedactedThinkingBlock = z.looseObject({
  type: z.literal("redacted_thinking"),
  data: z.string(),
});

const ContentBlock = z.discriminatedUnion("type", [
  TextBlock,
  ImageBlock,
  DocumentBlock,
  ToolUseBlock,
  ToolResultBlock,
  ThinkingBlock,
  RedactedThinkingBlock,
]);

const Message = z.strictObject({
  role: z.enum(["user", "assistant"]),
  content: z.union([z.string(), z.array(ContentBlock)]),
});

const Tool = z.union([
  z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/),
    description: z.string().optional(),
    input_schema: z.looseObject({ type: z.literal("object") }),
  }),
  // Server and versioned client tools (`bash_20250124`, `web_search_20250305`, …).
  z.looseObject({ type: z.string().min(1), name: z.string().min(1) }),
]);

const ToolChoice = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({
    type: z.literal("tool"),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal("none") }),
]);

/** A `POST /v1/messages` body. */
export const MessagesRequestSchema = z.strictObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(Message).min(1),
  system: z.union([z.string(), z.array(TextBlock)]).optional(),
  tools: z.array(Tool).optional(),
  tool_choice: ToolChoice.optional(),
  stream: z.boolean().optional(),
  metadata: z.strictObject({ user_id: z.string().nullish() }).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
  thinking: z.looseObject({ type: z.enum(["enabled", "disabled", "adaptive"]) }).optional(),
  service_tier: z.enum(["auto", "standard_only"]).optional(),
  cache_control: CacheControl,
  container: z.unknown().optional(),
  context_management: z.unknown().optional(),
  inference_geo: z.string().nullish(),
  mcp_servers: z.array(z.unknown()).optional(),
  output_config: z.unknown().optional(),
  speed: z.enum(["standard", "fast"]).nullish(),
});

/** A request body that passed the checks. */
export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;

/** One message of a request. */
export type RequestMessage = MessagesRequest["messages"][number];

/** Zod issues as one line, in the API's `path: problem` style. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join(".") : "body";
      // The API's own wording for a missing field.
      const problem = /received undefined$/.test(issue.message) ? "Field required" : issue.message;
      return `${where}: ${problem}`;
    })
    .join("; ");
}
