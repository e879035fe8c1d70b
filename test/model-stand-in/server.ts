// The model stand-in: an Anthropic-compatible Messages API server for tests, benchmarks and the
// offline quick start, with an HTTP control API (scripts in, recorded requests out) that tests
// inside workerd can reach as well as tests in Node.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseJson, readBody, sendJson } from "../support/http.ts";
import { listen } from "../support/listener.ts";
import { errorBody } from "./api-errors.ts";
import { handleMessages, MAX_BODY_BYTES, type MessagesState } from "./messages-route.ts";
import { createRecorder, type RecordedRequest } from "./recorder.ts";
import { SCRIPT_NAME, ScriptSchema, type Pacing, type ScriptInput } from "./script.ts";
import { describeIssues } from "./request-schema.ts";

/** How the rehearsal streams when nothing else is said: like a model, a token at a time. */
export const REHEARSAL_PACING: Pacing = { firstTokenDelayMs: 400, chunkDelayMs: 5 };

/** How to start the stand-in; every field optional. */
export interface ModelStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Seeds the random cuts and deltas; the same seed and requests give the same bytes. */
  seed?: number;
  /** Answers requests without a script marker with the rehearsal. */
  rehearsal?: boolean;
  /** Pauses of the rehearsal's answers; REHEARSAL_PACING by default. */
  rehearsalPacing?: Pacing;
  /** Gets one line per request; silent by default. */
  log?: (line: string) => void;
}

/** A running stand-in. */
export interface ModelStandIn {
  /** `http://host:port`, the SDK's `baseURL`. */
  url: string;
  /** Closes every connection (hung requests included) and the listener. */
  stop(): Promise<void>;
  /** Sets or replaces a script; its attempt counters start again. Throws on an invalid script. */
  setScript(name: string, script: ScriptInput): void;
  /** The recorded requests, all or those of one script, oldest first. */
  requests(script?: string): RecordedRequest[];
  clearRequests(): void;
}

/** Failures of the control API, in the platform's `{ error: { code, message } }` shape. */
function controlError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** Starts the stand-in and resolves once it listens. */
export async function startModelStandIn(options: ModelStandInOptions = {}): Promise<ModelStandIn> {
  const state: MessagesState = {
    scripts: new Map(),
    attempts: new Map(),
    recorder: createRecorder(),
    seed: options.seed ?? 1,
    rehearsal: options.rehearsal ?? false,
    rehearsalPacing: options.rehearsalPacing ?? REHEARSAL_PACING,
    log: options.log ?? (() => {}),
  };

  const setScript = (name: string, input: unknown): string | null => {
    if (!SCRIPT_NAME.test(name))
      return `script names use letters, digits, ".", "_" and "-" (got "${name}")`;
    const checked = ScriptSchema.safeParse(input);
    if (!checked.success) return describeIssues(checked.error);
    state.scripts.set(name, checked.data);
    for (const key of state.attempts.keys())
      if (key.startsWith(`${name}#`)) state.attempts.delete(key);
    return null;
  };

  async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const script = /^\/_stand-in\/scripts\/([^/]+)$/.exec(url.pathname);
    if (script && req.method === "PUT") {
      const raw = await readBody(req, MAX_BODY_BYTES);
      const parsed = parseJson(raw?.toString("utf8") ?? "");
      if (!parsed.ok)
        return controlError(res, 400, "invalid_input", `the body is not JSON: ${parsed.message}`);
      const name = decodeURIComponent(script[1]!);
      const problem = setScript(name, parsed.value);
      if (problem) return controlError(res, 400, "invalid_input", problem);
      return sendJson(res, 200, { name, responses: state.scripts.get(name)!.responses.length });
    }
    if (url.pathname === "/_stand-in/requests" && req.method === "GET") {
      return sendJson(res, 200, {
        requests: state.recorder.list(url.searchParams.get("script") ?? undefined),
      });
    }
    if (url.pathname === "/_stand-in/requests" && req.method === "DELETE") {
      state.recorder.clear();
      res.writeHead(204).end();
      return;
    }
    controlError(res, 404, "not_found", `no control route ${req.method} ${url.pathname}`);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname === "/v1/messages" && req.method === "POST")
      return handleMessages(req, res, state);
    if (url.pathname.startsWith("/_stand-in/")) return control(req, res, url);
    req.resume();
    sendJson(
      res,
      404,
      errorBody(
        "not_found_error",
        `The model stand-in does not serve ${req.method} ${url.pathname}`,
        "req_standin_none",
      ),
    );
  }

  const listener = await listen(route, {
    port: options.port,
    host: options.host,
    name: "model stand-in",
    log: state.log,
    failureBody: errorBody("api_error", "The model stand-in failed", "req_standin_none"),
  });

  return {
    url: listener.url,
    stop: () => listener.close(),
    setScript(name, script) {
      const problem = setScript(name, script);
      if (problem) throw new Error(`model stand-in: invalid script "${name}": ${problem}`);
    },
    requests: (script) => state.recorder.list(script),
    clearRequests: () => state.recorder.clear(),
  };
}
