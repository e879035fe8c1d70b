// Decides which link addresses in agent-written text may become clickable links.

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The address when it is an absolute http(s) or mailto URL, else null (`javascript:`, `data:`, relative). */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  // Control characters and whitespace inside a scheme can smuggle one past a naive check.
  if (/[\u0000-\u001f\u007f\s]/.test(href)) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? href : null;
}
