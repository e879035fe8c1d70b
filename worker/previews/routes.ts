// The preview routes on Tandem's origin: list, publish and close a session's previews, and open
// one, which signs the person in on the preview's own origin with a one-time link.
import { TandemError } from "../../protocol/errors.ts";
import { idPattern } from "../../protocol/ids.ts";
import { ExposePortBodySchema, previewOrigin } from "../../protocol/previews.ts";
import { requireUser } from "../auth/middleware.ts";
import { jsonBody, orThrow, type AppContext } from "../http.ts";
import { participantStub } from "../sessions/participant.ts";
import { previewFailure } from "./preview-pages.ts";
import { isNavigation, PREVIEW_AUTH_PATH, safePath } from "./preview-request.ts";
import { issueGrant } from "./preview-token.ts";

const SESSION_ID = idPattern("ses");

/** The port of the path, validated. */
function portOf(c: AppContext): number {
  const text = c.req.param("port") ?? "";
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65_535 || String(port) !== text)
    throw new TandemError("invalid_input", `${text} is not a port number (1 to 65535).`);
  return port;
}

/** GET /api/sessions/:sessionId/previews */
export async function listPreviews(c: AppContext): Promise<Response> {
  const { stub } = await participantStub(c);
  return c.json({ previews: orThrow(await stub.previews(c.var.user.id)) });
}

/** POST /api/sessions/:sessionId/previews */
export async function exposePreview(c: AppContext): Promise<Response> {
  const { stub } = await participantStub(c);
  const body = await jsonBody(c, ExposePortBodySchema);
  const { preview, created } = orThrow(await stub.exposePreview(c.var.user.id, body));
  return c.json({ preview }, created ? 201 : 200);
}

/** DELETE /api/sessions/:sessionId/previews/:port */
export async function closePreview(c: AppContext): Promise<Response> {
  const { stub } = await participantStub(c);
  return c.json(orThrow(await stub.closePreview(c.var.user.id, portOf(c))));
}

/**
 * GET /api/sessions/:sessionId/previews/:port/open?path=…: for a participant, a redirect to the
 * preview's origin with a sign-in link that works once, for a minute, for this person, session
 * and port. A browser that is not signed in is sent to the session's page, which signs in first.
 * It authenticates itself, so it is registered before the session routes.
 */
export async function openPreview(c: AppContext): Promise<Response> {
  const html = isNavigation(c.req.raw);
  const raw = c.req.param("sessionId") ?? "";
  const sessionUrl = `${c.var.deps.publicOrigin}${SESSION_ID.test(raw) ? `/sessions/${raw}` : "/"}`;
  try {
    await requireUser(c, async () => {});
    const { sessionId, stub } = await participantStub(c);
    const port = portOf(c);
    const domain = c.var.deps.previewDomain;
    if (!domain)
      throw new TandemError("misconfigured", "Previews are not configured here: set PREVIEW_URL.");
    orThrow(await stub.previewGrant(c.var.user.id, port));
    const token = await issueGrant(
      { sessionId, port, userId: c.var.user.id },
      c.var.deps.sessionSecret,
      c.var.deps.now(),
    );
    const query = new URLSearchParams({ token, path: safePath(c.req.query("path")) });
    return new Response(null, {
      status: 302,
      headers: {
        location: `${previewOrigin(domain, sessionId, port)}${PREVIEW_AUTH_PATH}?${query}`,
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      },
    });
  } catch (error) {
    if (!(error instanceof TandemError) || !html) throw error;
    if (error.code === "unauthenticated")
      return new Response(null, { status: 302, headers: { location: sessionUrl } });
    return previewFailure(error.code, error.message, { html, sessionUrl });
  }
}
