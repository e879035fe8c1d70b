// Glob patterns as the glob and grep tools read them: `*`, `?`, `[abc]`, `{a,b}` and `**`.

/** The most patterns one brace expression may expand to. */
const MAX_EXPANSIONS = 256;

/** Expands `{a,b}` alternatives (nested too) into plain patterns: `*.{ts,tsx}` → `*.ts`, `*.tsx`. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open === -1) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "{") depth++;
    else if (char === "}" && --depth === 0) {
      if (commas.length === 0) break; // `{x}` is literal text
      const bounds = [open, ...commas, i];
      const before = pattern.slice(0, open);
      const after = pattern.slice(i + 1);
      const expanded: string[] = [];
      for (let k = 0; k + 1 < bounds.length; k++) {
        const choice = pattern.slice(bounds[k]! + 1, bounds[k + 1]);
        for (const tail of expandBraces(`${before}${choice}${after}`)) {
          if (expanded.length === MAX_EXPANSIONS) return expanded;
          expanded.push(tail);
        }
      }
      return expanded;
    } else if (char === "," && depth === 1) commas.push(i);
  }
  // No matching `}` or no alternatives: the brace is literal, later ones may still expand.
  return expandBraces(pattern.slice(open + 1)).map(
    (rest) => `${pattern.slice(0, open + 1)}${rest}`,
  );
}

const REGEX_SPECIAL = /[.+^$()|\\{}\]]/;

/** The regular expression source of one brace-free glob. */
function globSource(glob: string): string {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*") {
      const segmentStart = i === 0 || glob[i - 1] === "/";
      if (glob[i + 1] === "*" && segmentStart && (i + 2 === glob.length || glob[i + 2] === "/")) {
        // `**/` is any number of folders; a final `**` is everything below.
        source += i + 2 === glob.length ? ".*" : "(?:.*/)?";
        i += 2;
      } else {
        source += "[^/]*";
        while (glob[i + 1] === "*") i++;
      }
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      source += `[${body}]`;
      i = close;
    } else {
      source += REGEX_SPECIAL.test(char) ? `\\${char}` : char;
    }
  }
  return source;
}

/** A regular expression matching whole relative paths against the glob. */
export function globToRegExp(glob: string): RegExp {
  const alternatives = expandBraces(glob).map(globSource);
  return new RegExp(`^(?:${alternatives.join("|")})$`, "s");
}

/**
 * Splits a glob into its leading folders without wildcards and the rest, so a search can start
 * deep: `src/lib/**\/*.ts` → `src/lib` and `**\/*.ts`. The last segment always stays in the rest.
 */
export function splitLiteralPrefix(glob: string): { prefix: string; rest: string } {
  const segments = glob.split("/");
  let literal = 0;
  while (literal < segments.length - 1 && !/[*?[{]/.test(segments[literal]!)) literal++;
  return { prefix: segments.slice(0, literal).join("/"), rest: segments.slice(literal).join("/") };
}
