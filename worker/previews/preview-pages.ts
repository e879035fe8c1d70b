// Tandem's own answers on a preview's origin and the open route: a small page for a person
// opening it in a browser, the usual `{ error: { code, message } }` for everything else.
import { ERROR_CODES, type ErrorBody, type ErrorCode } from "../../protocol/errors.ts";

/** Codes whose page reloads itself, since waiting a moment usually fixes them. */
const RETRIED = new Set<ErrorCode>(["port_unreachable", "sandbox_not_running", "unavailable"]);
const RETRY_SECONDS = 5;

const TITLES: Partial<Record<ErrorCode, string>> = {
  port_unreachable: "Nothing answers on this port yet",
  sandbox_not_running: "The session's sandbox is not running",
  unauthenticated: "Open this preview from Tandem",
  not_found: "This preview is not available",
  forbidden: "This preview is not available to you",
  origin_rejected: "Refused",
};

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

/** What a failure looks like on a preview: HTML for a browser opening a page, JSON otherwise. */
export function previewFailure(
  code: ErrorCode,
  message: string,
  options: { html: boolean; sessionUrl?: string; headers?: HeadersInit },
): Response {
  const status = ERROR_CODES[code].status;
  const headers = new Headers(options.headers);
  headers.set("cache-control", "no-store");
  if (!options.html) {
    const body: ErrorBody = { error: { code, message } };
    headers.set("content-type", "application/json");
    return new Response(JSON.stringify(body), { status, headers });
  }
  const title = TITLES[code] ?? "This preview could not be shown";
  const retry = RETRIED.has(code) ? `<meta http-equiv="refresh" content="${RETRY_SECONDS}">` : "";
  const back = options.sessionUrl
    ? `<p><a href="${escape(options.sessionUrl)}">Back to the session in Tandem</a></p>`
    : "";
  const note = RETRIED.has(code)
    ? `<p class="note">This page tries again every ${RETRY_SECONDS} seconds.</p>`
    : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${retry}<title>${escape(title)} · Tandem preview</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#1f2328;background:#f6f8fa;margin:0;display:grid;place-items:center;min-height:100vh}
main{max-width:34rem;margin:1.5rem;padding:1.5rem 1.75rem;background:#fff;border:1px solid #d0d7de;border-radius:10px}
h1{font-size:1.2rem;margin:0 0 .5rem}code{font-size:.85em}.note{color:#656d76;font-size:.875rem}a{color:#0969da}</style>
</head><body><main><h1>${escape(title)}</h1><p>${escape(message)}</p>${note}${back}<p class="note">Code: <code>${code}</code></p></main></body></html>`;
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
  return new Response(html, { status, headers });
}
