// The NDJSON protocol between the sandbox host and the small agent running inside each sandbox.
// One JSON object per line in each direction; every request carries an `id` its replies repeat.
import { z } from "zod";
import { ExecResultSchema } from "./sandbox-host.ts";

/** Requests the host sends to the in-sandbox agent. */
export const AgentRequestSchema = z.discriminatedUnion("op", [
  z.object({
    op: z.literal("exec"),
    id: z.string(),
    argv: z.array(z.string()).min(1),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
    /** The agent kills the command's whole process group when this runs out. */
    timeoutMs: z.number().int().positive(),
    /** Output kept per stream: the first half and the last half of this many bytes. */
    maxOutputBytes: z.number().int().positive(),
    /** Bytes (base64) written to the command's stdin, which is then closed. */
    stdin: z.string().optional(),
  }),
  z.object({
    op: z.literal("kill"),
    id: z.string(),
    execId: z.string(),
    signal: z.enum(["TERM", "KILL", "INT"]),
  }),
  z.object({
    op: z.literal("read"),
    id: z.string(),
    path: z.string(),
    maxBytes: z.number().int().positive(),
  }),
  z.object({
    op: z.literal("write"),
    id: z.string(),
    path: z.string(),
    /** File contents, base64. */
    data: z.string(),
    mode: z.number().int().optional(),
    /** Create missing parent directories. */
    parents: z.boolean().optional(),
  }),
  /** Relay connections to /run/tandem/ports/<port>.sock to the port on the sandbox's loopback. */
  z.object({
    op: z.literal("expose"),
    id: z.string(),
    port: z.number().int().min(1).max(65_535),
    /** Printable ASCII the agent sends first on each relayed connection, once the port answered:
     * the host checks it, as the socket sits in a folder the sandbox can change. */
    greeting: z.string(),
  }),
  z.object({ op: z.literal("ping"), id: z.string() }),
]);
export type AgentRequest = z.infer<typeof AgentRequestSchema>;

/** Replies and stream events the agent sends back. */
export const AgentReplySchema = z.discriminatedUnion("type", [
  /** A chunk of a running command's output (base64), sent while the stream is under its cap. */
  z.object({
    type: z.literal("output"),
    id: z.string(),
    stream: z.enum(["stdout", "stderr"]),
    data: z.string(),
  }),
  /** How a command ended. Output fields hold the kept head and tail, base64. */
  ExecResultSchema.extend({ type: z.literal("exit"), id: z.string() }),
  z.object({
    type: z.literal("file"),
    id: z.string(),
    found: z.boolean(),
    data: z.string(),
    size: z.number().int(),
    truncated: z.boolean(),
  }),
  z.object({ type: z.literal("ok"), id: z.string() }),
  z.object({ type: z.literal("pong"), id: z.string() }),
  /** A request that could not be carried out; `id` is null when the line could not be read. */
  z.object({
    type: z.literal("error"),
    id: z.string().nullable(),
    code: z.string(),
    message: z.string(),
  }),
]);
export type AgentReply = z.infer<typeof AgentReplySchema>;
