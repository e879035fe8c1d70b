// A preview's own origin (`ses-<id>--<port>.<preview domain>`): signs a person in with the link
// the open route gave them, then forwards each request (any method, streamed bodies, WebSocket
// upgrades) to the sandbox's server, after asking the session whether that person still may.
import type { ErrorCode, Result } from "../../protocol/errors.ts";
import type { PreviewDomain } from "../../protocol/previews.ts";
import { SandboxError, type SandboxProvider } from "../../sandbox/provider.ts";
import { previewFailure } from "./preview-pages.ts";
import {
  cookieValue,
  forwardedRequest,
  isNavigation,
  originAllowed,
  PREVIEW_AUTH_PATH,
  previewCookieName,
  safePath,
  withoutOurSetCookies,
} from "./preview-request.ts";
import {
  issueCookie,
  PREVIEW_COOKIE_TTL_MS,
  readCookie,
  readGrant,
  type PreviewClaims,
} from "./preview-token.ts";

/** What a preview's origin asks the session's object. */
export interface PreviewSession {
  previewRedeem(
    userId: string,
    port: number,
    nonce: string,
    expiresAt: number,
  ): Promise<Result<null>>;
  previewTarget(
    userId: string,
    port: number,
    again?: boolean,
  ): Promise<Result<{ sandboxId: string }>>;
}

/** What serving previews needs, built by the composition root. */
export interface PreviewHostDeps {
  domain: PreviewDomain;
  /** Tandem's own origin, where the open route and the session pages are. */
  publicOrigin: string;
  /** Signs sign-in links and cookies (the session secret). */
  secret: string;
  now: () => number;
  session: (sessionId: string) => PreviewSession;
  sandboxes: SandboxProvider | null;
}

/** The preview a request is for. */
export interface PreviewTarget {
  sessionId: string;
  port: number;
}

/** Answers one request on a preview's origin. */
export async function servePreview(
  request: Request,
  deps: PreviewHostDeps,
  target: PreviewTarget,
): Promise<Response> {
  const url = new URL(request.url);
  const html = isNavigation(request);
  const sessionUrl = `${deps.publicOrigin}/sessions/${target.sessionId}`;
  const fail = (code: ErrorCode, message: string, headers?: HeadersInit) =>
    previewFailure(code, message, { html, sessionUrl, ...(headers ? { headers } : {}) });
  const secure = deps.domain.protocol === "https:";
  const cookieName = previewCookieName(secure);
  const session = deps.session(target.sessionId);
  try {
    if (url.pathname === PREVIEW_AUTH_PATH) return await signIn(request, deps, target, session);

    const claims = await readCookie(
      cookieValue(request.headers.get("cookie"), cookieName) ?? "",
      deps.secret,
      deps.now(),
    );
    if (!claims || claims.sessionId !== target.sessionId || claims.port !== target.port) {
      if (html) return redirect(openUrl(deps, target, `${url.pathname}${url.search}`));
      return fail(
        "unauthenticated",
        "Open this preview from Tandem first (the session's Previews panel); it signs you in here.",
      );
    }
    if (!originAllowed(request, deps.domain, target.sessionId))
      return fail(
        "origin_rejected",
        "Changes and sockets on a preview are accepted only from the session's own previews.",
      );

    let allowed = await session.previewTarget(claims.userId, target.port);
    if (!allowed.ok) return refusal(allowed.error, fail, cookieName, secure);
    if (!deps.sandboxes)
      return fail("sandbox_not_running", "No sandbox provider is configured here.");
    try {
      return await forward(deps.sandboxes, allowed.value.sandboxId, target.port, request);
    } catch (error) {
      // The provider does not know the port on that sandbox: expose it again and retry, when the
      // request can be sent twice (it has no body already on its way).
      if (!(error instanceof SandboxError && error.code === "not_found") || request.body !== null)
        throw error;
      allowed = await session.previewTarget(claims.userId, target.port, true);
      if (!allowed.ok) return refusal(allowed.error, fail, cookieName, secure);
      return await forward(deps.sandboxes, allowed.value.sandboxId, target.port, request);
    }
  } catch (error) {
    return sandboxFailure(error, target.port, fail);
  }
}

async function forward(
  sandboxes: SandboxProvider,
  sandboxId: string,
  port: number,
  request: Request,
): Promise<Response> {
  return withoutOurSetCookies(
    await sandboxes.fetchPort(sandboxId, port, forwardedRequest(request)),
  );
}

/** The sign-in link's landing: checks the link, asks the session, sets the cookie, goes on. */
async function signIn(
  request: Request,
  deps: PreviewHostDeps,
  target: PreviewTarget,
  session: PreviewSession,
): Promise<Response> {
  const url = new URL(request.url);
  const html = request.method === "GET";
  const sessionUrl = `${deps.publicOrigin}/sessions/${target.sessionId}`;
  const grant = await readGrant(url.searchParams.get("token") ?? "", deps.secret, deps.now());
  if (!grant || grant.sessionId !== target.sessionId || grant.port !== target.port)
    return previewFailure(
      "unauthenticated",
      "This link to the preview is not valid or has expired; open the preview from Tandem again.",
      { html, sessionUrl },
    );
  const redeemed = await session.previewRedeem(
    grant.userId,
    grant.port,
    grant.nonce,
    grant.expiresAt,
  );
  if (!redeemed.ok)
    return previewFailure(redeemed.error.code, redeemed.error.message, { html, sessionUrl });
  const secure = deps.domain.protocol === "https:";
  return redirect(safePath(url.searchParams.get("path")), {
    "set-cookie": await cookieHeader(grant, deps, secure),
  });
}

async function cookieHeader(
  grant: PreviewClaims,
  deps: PreviewHostDeps,
  secure: boolean,
): Promise<string> {
  const value = await issueCookie(grant, deps.secret, deps.now());
  const attributes = `Max-Age=${PREVIEW_COOKIE_TTL_MS / 1000}; Path=/; HttpOnly; SameSite=Lax`;
  return `${previewCookieName(secure)}=${value}; ${attributes}${secure ? "; Secure" : ""}`;
}

/** The open route on Tandem's origin, which signs the person in and comes back to `path`. */
function openUrl(deps: PreviewHostDeps, target: PreviewTarget, path: string): string {
  const query = new URLSearchParams({ path: safePath(path) });
  return `${deps.publicOrigin}/api/sessions/${target.sessionId}/previews/${target.port}/open?${query}`;
}

function redirect(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, {
    status: 302,
    headers: {
      location,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      ...headers,
    },
  });
}

/** The session said no: the person left, or the port was closed. The cookie goes too. */
function refusal(
  error: { code: ErrorCode; message: string },
  fail: (code: ErrorCode, message: string, headers?: HeadersInit) => Response,
  cookieName: string,
  secure: boolean,
): Response {
  if (error.code !== "not_found" && error.code !== "forbidden")
    return fail(error.code, error.message);
  const clear = `${cookieName}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  return fail(error.code, error.message, { "set-cookie": clear });
}

function sandboxFailure(
  error: unknown,
  port: number,
  fail: (code: ErrorCode, message: string) => Response,
): Response {
  if (!(error instanceof SandboxError))
    return fail("unavailable", `The preview could not be reached: ${String(error)}`);
  switch (error.code) {
    case "port_unreachable":
      return fail("port_unreachable", error.message);
    case "not_found":
    case "sandbox_exited":
      return fail(
        "sandbox_not_running",
        "The session's sandbox has stopped; the next prompt brings it back. Start the server again then.",
      );
    default:
      return fail("unavailable", `Port ${port} could not be reached: ${error.message}`);
  }
}
