// Failures a test injects: the next calls of a REST operation or of a git smart-HTTP request
// answer a 5xx status, as GitHub does when its side breaks, then the stand-in behaves normally.
import type { StandInContext } from "./context.ts";

/** The git requests a fault may name, as the request log names them (`/refs`: the advertisement). */
export const GIT_FAULT_OPERATIONS: readonly string[] = [
  "git/receive-pack",
  "git/receive-pack/refs",
  "git/upload-pack",
  "git/upload-pack/refs",
];

/** A failure to inject: the next `times` calls of `operation` answer `status`. */
export interface Fault {
  operation: string;
  status: number;
  times: number;
  /** `owner/name`: only calls on that repository fail; without it, calls on any. */
  repo?: string;
}

const keyOf = (operation: string, repo: string | null | undefined): string =>
  repo ? `${operation} ${repo.toLowerCase()}` : operation;

/** Raised for a fault on an operation the stand-in does not serve. */
export class FaultError extends Error {
  override readonly name = "FaultError";
}

/**
 * Sets a fault, replacing what was left of one on the same operation and repository (`times` 0
 * clears it).
 * `restOperations` are the operation ids of GitHub's description that the stand-in serves.
 */
export function setFault(
  ctx: StandInContext,
  restOperations: ReadonlySet<string>,
  fault: Fault,
): void {
  const { operation } = fault;
  if (!GIT_FAULT_OPERATIONS.includes(operation) && !restOperations.has(operation)) {
    const git = `the git operations are ${GIT_FAULT_OPERATIONS.join(", ")}`;
    throw new FaultError(
      operation.startsWith("git/")
        ? `${operation} is not a git operation of the stand-in: ${git}`
        : `${operation} is neither a REST operation the stand-in serves (an operation id of ` +
            `GitHub's description: ${[...restOperations].sort().join(", ")}) nor a git ` +
            `operation (${GIT_FAULT_OPERATIONS.join(", ")})`,
    );
  }
  ctx.faults.set(keyOf(operation, fault.repo), { status: fault.status, left: fault.times });
}

/**
 * Uses up one injected failure of `operation` on `repo` (`owner/name`; null for an operation on no
 * repository), the repository's own fault first: the status to answer, or null when none is left.
 */
export function takeFault(
  ctx: StandInContext,
  operation: string,
  repo: string | null,
): number | null {
  for (const key of repo ? [keyOf(operation, repo), operation] : [operation]) {
    const fault = ctx.faults.get(key);
    if (!fault || fault.left <= 0) continue;
    fault.left--;
    return fault.status;
  }
  return null;
}
