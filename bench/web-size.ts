// The JavaScript a browser downloads before the web app can start: the entry module and the
// modules index.html preloads, each gzipped at level 9 as a CDN would serve them.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { LocalBenchmark, RunContext } from "./context.ts";
import type { Metric } from "./report.ts";

const DIST_DIR = "web/dist";
/** The most initial JavaScript, gzipped, in kB (1,000 bytes, as Vite reports sizes). */
const INITIAL_JS_TARGET_KB = 250;

/** The same-origin scripts index.html loads at once: `<script type="module" src>` and modulepreloads. */
export function initialScripts(html: string): string[] {
  const found = new Set<string>();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const attribute = (name: string) =>
      new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, "i").exec(tag)?.[1];
    const isEntry = /^<script/i.test(tag) && attribute("type") === "module";
    const isPreload = /^<link/i.test(tag) && attribute("rel")?.toLowerCase() === "modulepreload";
    const url = isEntry ? attribute("src") : isPreload ? attribute("href") : undefined;
    if (url && !/^[a-z]+:|^\/\//i.test(url)) found.add(url.replace(/^\//, ""));
  }
  return [...found];
}

async function measure(context: RunContext): Promise<Metric[]> {
  const html = await readFile(join(DIST_DIR, "index.html"), "utf8");
  const scripts = initialScripts(html);
  if (scripts.length === 0) throw new Error(`${DIST_DIR}/index.html loads no module script`);
  let gzipBytes = 0;
  for (const script of scripts) {
    const source = await readFile(join(DIST_DIR, script));
    const size = gzipSync(source, { level: 9 }).length;
    context.log(
      `web-size: ${script}: ${(source.length / 1000).toFixed(1)} kB, ${(size / 1000).toFixed(1)} kB gzipped`,
    );
    gzipBytes += size;
  }
  return [
    {
      name: "web_initial_js_gzip_kb",
      unit: "kB",
      value: gzipBytes / 1000,
      n: scripts.length,
      target: { max: INITIAL_JS_TARGET_KB },
    },
  ];
}

/** The web app's initial JavaScript, gzipped. */
export const webSizeBenchmark: LocalBenchmark = {
  name: "web-size",
  needsPlatform: false,
  unavailable: async () =>
    existsSync(join(DIST_DIR, "index.html"))
      ? null
      : `${DIST_DIR} is not built (npm run build:web)`,
  run: measure,
};
