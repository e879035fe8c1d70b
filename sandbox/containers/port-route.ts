// The public side of exposed ports on Cloudflare Containers: the Worker hands requests under
// /api/sandbox-ports/<sandbox id>/<port>/ to this function, which checks the port token and passes
// them (WebSocket upgrades included) to the sandbox's object, and so to the server in its container.
import { timingSafeEqual } from "../../crypto/digest.ts";
import { idPattern } from "../../protocol/ids.ts";
import type { ContainerNamespace } from "./container-calls.ts";

/** Where exposed ports live under the Worker's origin. */
export const SANDBOX_PORT_PREFIX = "/api/sandbox-ports";

const ROUTE = /^\/api\/sandbox-ports\/([^/]+)\/([^/]+)(\/.*)?$/;
const SANDBOX_ID = idPattern("sbx");

/** What the route needs: the token callers present, and the sandboxes' objects. */
export interface PortRouteDeps {
  /** The SANDBOX_PORT_TOKEN secret; without one, every request is refused. */
  token: string | undefined;
  containers: ContainerNamespace;
}

/** Forwards a request under the prefix to the sandbox's port; null for any other path. */
export async function forwardSandboxPort(
  request: Request,
  deps: PortRouteDeps,
): Promise<Response | null> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${SANDBOX_PORT_PREFIX}/`)) return null;
  const header = request.headers.get("authorization") ?? "";
  if (!deps.token || !header.startsWith("Bearer ") || !timingSafeEqual(header.slice(7), deps.token))
    return failure(401, "unauthenticated", "A valid sandbox port token is required.");
  const match = ROUTE.exec(url.pathname);
  const id = match ? decodeURIComponent(match[1]!) : "";
  if (!match || !SANDBOX_ID.test(id))
    return failure(404, "not_found", "No sandbox port at that address.");
  const inner = `http://container/v1/sandboxes/${id}/ports/${match[2]}${match[3] ?? "/"}${url.search}`;
  const forwarded = new Request(inner, request);
  // The token is for Tandem; the sandbox's server never sees it.
  forwarded.headers.delete("authorization");
  return deps.containers.get(id).fetch(forwarded);
}

function failure(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}
