// What the stand-in keeps for tests to assert on: every request with the identity that made it,
// and every mismatch with GitHub's published API description.
import type { Identity, TokenKind } from "./auth/caller.ts";

/** Which part of the stand-in answered a request. */
export type Surface = "rest" | "oauth" | "git";

/** One request to the GitHub surfaces (the control API is not recorded). */
export interface RecordedRequest {
  /** Counts requests from 1 since the start. */
  seq: number;
  surface: Surface;
  method: string;
  /** The path with its query string. */
  path: string;
  /**
   * The description's operation id for REST (`pulls/create`), `oauth/authorize` or
   * `oauth/access-token`, `git/upload-pack` or `git/receive-pack` (with `/refs` for the
   * advertisement); null when nothing matched.
   */
  operation: string | null;
  identity: Identity;
  /** The credential's kind; "invalid" when it was refused; null when there was none. */
  tokenKind: TokenKind | "invalid" | null;
  /** The parsed JSON body of a REST request (OAuth bodies are left out: they hold secrets). */
  body: unknown;
  /** Null until the answer is sent. */
  status: number | null;
  /** ms since the epoch, on the wall clock. */
  receivedAt: number;
}

/** A request, response or webhook payload that GitHub's description does not allow. */
export interface Violation {
  seq: number;
  /** "unserved": an operation of GitHub's API that the stand-in does not serve was called. */
  kind: "request" | "response" | "webhook" | "unserved";
  /** `GET /repos/{owner}/{repo}` (`repos/get`), or the webhook's event and action. */
  where: string;
  problems: string[];
}

/** The most entries each log keeps; the oldest go first. */
export const MAX_RECORDS = 2000;

/** The two logs. */
export interface Records {
  start(entry: Omit<RecordedRequest, "seq" | "status">): RecordedRequest;
  requests(): RecordedRequest[];
  clearRequests(): void;
  violation(kind: Violation["kind"], where: string, problems: string[]): Violation;
  violations(): Violation[];
  clearViolations(): void;
}

/** Empty logs; each violation is also written to `log`. */
export function createRecords(log: (line: string) => void): Records {
  let requests: RecordedRequest[] = [];
  let violations: Violation[] = [];
  let requestSeq = 0;
  let violationSeq = 0;
  return {
    start(fields) {
      const entry: RecordedRequest = { seq: ++requestSeq, status: null, ...fields };
      requests.push(entry);
      if (requests.length > MAX_RECORDS) requests.shift();
      return entry;
    },
    requests: () => structuredClone(requests),
    clearRequests() {
      requests = [];
    },
    violation(kind, where, problems) {
      const entry: Violation = { seq: ++violationSeq, kind, where, problems };
      violations.push(entry);
      if (violations.length > MAX_RECORDS) violations.shift();
      log(
        `github stand-in: ${kind} does not match GitHub's API description at ${where}: ${problems.join(" | ")}`,
      );
      return entry;
    },
    violations: () => structuredClone(violations),
    clearViolations() {
      violations = [];
    },
  };
}
