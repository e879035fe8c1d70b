// What crosses between a browser and a sandbox's server on a preview's origin: Tandem's own
// credentials stay out of the request, Tandem's cookie cannot be set by the server, and state
// changes and sockets must come from the session's own previews.
import { previewOfHost, type PreviewDomain } from "../../protocol/previews.ts";
import { SESSION_COOKIE } from "../auth/browser-sessions.ts";

/** Where a sign-in link lands on a preview's origin (every other path belongs to the server). */
export const PREVIEW_AUTH_PATH = "/__tandem/preview-auth";

/** The preview cookie's name: `__Host-` on https, so it can only ever be this host's. */
export const previewCookieName = (secure: boolean): string =>
  secure ? "__Host-tandem_preview" : "tandem_preview";

/** Cookies that are Tandem's and never reach, nor may be set by, a sandbox's server. */
const OUR_COOKIES = new Set([previewCookieName(true), previewCookieName(false), SESSION_COOKIE]);

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The value of cookie `name` in a Cookie header, if there is one. */
export function cookieValue(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

/** A Cookie header without Tandem's cookies; null when nothing else is left. */
export function withoutOurCookies(header: string | null): string | null {
  const kept = (header ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && !OUR_COOKIES.has(part.slice(0, part.indexOf("=")).trim()));
  return kept.length > 0 ? kept.join("; ") : null;
}

/** The request as the sandbox's server gets it: same method, path, query, body and upgrade,
 * without Tandem's cookies and Authorization, with the preview's host as X-Forwarded-Host. */
export function forwardedRequest(request: Request): Request {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  headers.delete("authorization");
  const cookies = withoutOurCookies(headers.get("cookie"));
  if (cookies) headers.set("cookie", cookies);
  else headers.delete("cookie");
  headers.set("x-forwarded-host", url.host);
  headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  // The original request is the input, so its body keeps its framing (a known length stays one).
  return new Request(request, { headers });
}

/** The server's answer, less any Set-Cookie that would set one of Tandem's cookies. */
export function withoutOurSetCookies(response: Response): Response {
  if (response.status === 101) return response;
  const cookies = response.headers.getSetCookie();
  const ours = (cookie: string) => OUR_COOKIES.has(cookie.slice(0, cookie.indexOf("=")).trim());
  if (!cookies.some(ours)) return response;
  const headers = new Headers(response.headers);
  headers.delete("set-cookie");
  for (const cookie of cookies) if (!ours(cookie)) headers.append("set-cookie", cookie);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** A path on the preview to go to after signing in: only a path of the same origin. */
export function safePath(text: string | null | undefined): string {
  if (!text || text.length > 2_000 || !text.startsWith("/") || /^\/[/\\]/.test(text)) return "/";
  return /[\u0000-\u001f\\]/.test(text) ? "/" : text;
}

/** Whether a request is a person opening a page (which may be sent to sign in first). */
export function isNavigation(request: Request): boolean {
  if (request.method !== "GET") return false;
  const mode = request.headers.get("sec-fetch-mode");
  if (mode) return mode === "navigate";
  return (request.headers.get("accept") ?? "").includes("text/html");
}

/** Whether a request may change state or open a socket: it has no Origin (not a browser's
 * cross-origin request), or it comes from one of the same session's previews. A page on another
 * preview shares the site, so the browser sends it the cookie; this keeps it out. */
export function originAllowed(request: Request, domain: PreviewDomain, sessionId: string): boolean {
  const upgrade = request.headers.get("upgrade") !== null;
  if (SAFE_METHODS.has(request.method) && !upgrade) return true;
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  let host: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== domain.protocol) return false;
    host = url.host;
  } catch {
    return false;
  }
  return previewOfHost(domain, host)?.sessionId === sessionId;
}
