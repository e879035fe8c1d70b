// Session previews: the ports a session publishes, the bodies of their routes, and the origin each
// preview is served from (`<session id with a dash>--<port>` under the configured preview domain).
import { z } from "zod";
import { PersonSchema } from "./events.ts";

/** A TCP port a server inside the sandbox may listen on. */
export const PreviewPortSchema = z.number().int().min(1).max(65_535);

/** What people call a preview (`web`, `storybook`); shown beside its port. */
export const PreviewLabelSchema = z.string().trim().min(1).max(60);

/** The most ports one session may publish at once. */
export const MAX_PREVIEWS = 20;

/** A published port as the session lists it. */
export const PreviewSchema = z.object({
  port: PreviewPortSchema,
  label: z.string(),
  /** The preview's own origin; opening it through Tandem signs the person in there. */
  url: z.string(),
  by: z.enum(["agent", "person"]),
  /** Who exposed it, or whose prompt the agent was working on. */
  exposedBy: PersonSchema.nullable(),
  exposedAt: z.number(),
});
export type Preview = z.infer<typeof PreviewSchema>;

/** POST /api/sessions/:id/previews */
export const ExposePortBodySchema = z.object({
  port: PreviewPortSchema,
  label: PreviewLabelSchema.optional(),
});
export type ExposePortBody = z.infer<typeof ExposePortBodySchema>;

/** The label a port gets when nobody names it. */
export const defaultLabel = (port: number): string => `Port ${port}`;

/** Where previews are served: every preview is a host of its own under one parent domain. */
export interface PreviewDomain {
  protocol: "http:" | "https:";
  /** What follows the preview's own label in its host, port included (`localhost:8787`). */
  suffix: string;
}

const TEMPLATE = /^(https?):\/\/\*\.([a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?\/?$/;
const LABEL = /^ses-([0-9a-hjkmnp-tv-z]{26})--(\d{1,5})$/;
const DEFAULT_PORTS: Record<string, string> = { http: "80", https: "443" };

/** Reads PREVIEW_URL (`https://*.preview.example.com`, `http://*.localhost:8787`); null when it
 * is empty or not of that form. */
export function previewDomainFrom(template: string | undefined): PreviewDomain | null {
  const match = TEMPLATE.exec((template ?? "").trim().toLowerCase());
  if (!match) return null;
  const [, scheme, host, , port] = match;
  const explicit = port && port !== DEFAULT_PORTS[scheme!] ? `:${port}` : "";
  return { protocol: `${scheme}:` as PreviewDomain["protocol"], suffix: `${host}${explicit}` };
}

/** The origin of a session's preview of `port`, e.g. `http://ses-01m7…--3000.localhost:8787`. */
export function previewOrigin(domain: PreviewDomain, sessionId: string, port: number): string {
  return `${domain.protocol}//${sessionId.replace("_", "-")}--${port}.${domain.suffix}`;
}

/** The session and port a request's host names, or null when it is not a preview's host. */
export function previewOfHost(
  domain: PreviewDomain,
  host: string,
): { sessionId: string; port: number } | null {
  const lower = host.toLowerCase();
  const tail = `.${domain.suffix}`;
  if (!lower.endsWith(tail)) return null;
  const match = LABEL.exec(lower.slice(0, -tail.length));
  if (!match) return null;
  const port = Number(match[2]);
  // One spelling per preview (no leading zeros), so each preview has exactly one origin.
  const canonical = String(port) === match[2] && port >= 1 && port <= 65_535;
  return canonical ? { sessionId: `ses_${match[1]}`, port } : null;
}
