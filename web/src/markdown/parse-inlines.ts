// Parses the text of one block into inline pieces: code spans, emphasis, links and line breaks.
import { safeHref } from "./safe-href.ts";

/** One inline piece. A link whose address is not safe to open has `href: null`. */
export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "em" | "strong" | "del"; children: Inline[] }
  | { type: "link"; href: string | null; children: Inline[] }
  | { type: "break" };

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;
const BARE_URL = /^https?:\/\/[^\s<>"]+/;
const ANGLE_LINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/;

/** Parses inline markdown. Anything that does not close (an emphasis still streaming) stays literal text. */
export function parseInlines(source: string): Inline[] {
  const out: Inline[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push({ type: "text", text });
    text = "";
  };
  const push = (inline: Inline) => {
    flush();
    out.push(inline);
  };

  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    const rest = source.slice(i);

    if (char === "\\" && source[i + 1] === "\n") {
      push({ type: "break" });
      i += 2;
      continue;
    }
    if (char === "\\" && i + 1 < source.length && PUNCTUATION.test(source[i + 1]!)) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (char === "\n") {
      if (/ {2,}$/.test(text)) {
        text = text.trimEnd();
        push({ type: "break" });
      } else {
        text += "\n";
      }
      i++;
      continue;
    }
    if (char === "`") {
      const span = codeSpan(source, i);
      if (span) {
        push({ type: "code", text: span.text });
        i = span.end;
      } else {
        const run = runLength(source, i, "`");
        text += source.slice(i, i + run);
        i += run;
      }
      continue;
    }
    if (char === "[" || (char === "!" && source[i + 1] === "[")) {
      const link = linkAt(source, char === "!" ? i + 1 : i);
      if (link) {
        push({ type: "link", href: safeHref(link.href), children: parseInlines(link.label) });
        i = link.end;
        continue;
      }
    }
    if (char === "<") {
      const angle = ANGLE_LINK.exec(rest);
      if (angle) {
        push({
          type: "link",
          href: safeHref(angle[1]!),
          children: [{ type: "text", text: angle[1]! }],
        });
        i += angle[0].length;
        continue;
      }
    }
    if (char === "h" && !WORD.test(source[i - 1] ?? "")) {
      const bare = BARE_URL.exec(rest);
      if (bare) {
        const url = trimUrl(bare[0]);
        push({ type: "link", href: safeHref(url), children: [{ type: "text", text: url }] });
        i += url.length;
        continue;
      }
    }
    if (char === "*" || char === "_" || char === "~") {
      const emphasis = emphasisAt(source, i);
      if (emphasis) {
        push(emphasis.inline);
        i = emphasis.end;
      } else {
        const run = runLength(source, i, char);
        text += source.slice(i, i + run);
        i += run;
      }
      continue;
    }
    text += char;
    i++;
  }
  flush();
  return out;
}

function runLength(source: string, at: number, char: string): number {
  let end = at;
  while (source[end] === char) end++;
  return end - at;
}

/** A code span opened by the backtick run at `at`, closed by a run of the same length. */
function codeSpan(source: string, at: number): { text: string; end: number } | null {
  const run = runLength(source, at, "`");
  let j = at + run;
  while (j < source.length) {
    if (source[j] !== "`") {
      j++;
      continue;
    }
    const closing = runLength(source, j, "`");
    if (closing === run) {
      let text = source.slice(at + run, j).replace(/\n/g, " ");
      if (/^ .*[^ ].* $/.test(text)) text = text.slice(1, -1);
      return { text, end: j + closing };
    }
    j += closing;
  }
  return null;
}

/** `[label](href "title")` starting at the bracket; null when it is not a complete link. */
function linkAt(source: string, at: number): { label: string; href: string; end: number } | null {
  let depth = 0;
  let j = at;
  for (; j < source.length; j++) {
    const char = source[j];
    if (char === "\\") j++;
    else if (char === "[") depth++;
    else if (char === "]" && --depth === 0) break;
  }
  if (j >= source.length || source[j + 1] !== "(") return null;
  const label = source.slice(at + 1, j);
  const target =
    /^\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+("[^"]*"|'[^']*'))?\s*\)/.exec(
      source.slice(j + 1),
    );
  if (!target) return null;
  const href = target[1]!.replace(/^<(.*)>$/, "$1");
  return { label, href, end: j + 1 + target[0].length };
}

/** Drops punctuation that ends a sentence rather than the address. */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0 && /[.,;:!?'")\]*_]/.test(url[end - 1]!)) {
    if (
      url[end - 1] === ")" &&
      countOf(url.slice(0, end), "(") >= countOf(url.slice(0, end), ")")
    ) {
      break;
    }
    end--;
  }
  return url.slice(0, end);
}

const countOf = (text: string, char: string) => text.split(char).length - 1;

/** Emphasis opened by the delimiter run at `at`, closed by a run of the same length. */
function emphasisAt(source: string, at: number): { inline: Inline; end: number } | null {
  const char = source[at]!;
  const run = runLength(source, at, char);
  if (char === "~" ? run !== 2 : run > 3) return null;
  const after = source[at + run] ?? "";
  if (after === "" || /\s/.test(after)) return null;
  if (char === "_" && WORD.test(source[at - 1] ?? "")) return null;
  let j = at + run;
  while (j < source.length) {
    const c = source[j]!;
    if (c === "`") {
      const span = codeSpan(source, j);
      j = span ? span.end : j + runLength(source, j, "`");
      continue;
    }
    if (c === "\\") {
      j += 2;
      continue;
    }
    if (c !== char) {
      j++;
      continue;
    }
    const closing = runLength(source, j, char);
    const before = source[j - 1] ?? "";
    const next = source[j + closing] ?? "";
    const closes = closing === run && !/\s/.test(before) && !(char === "_" && WORD.test(next));
    if (closes) {
      const children = parseInlines(source.slice(at + run, j));
      const inline: Inline =
        char === "~"
          ? { type: "del", children }
          : run === 1
            ? { type: "em", children }
            : run === 2
              ? { type: "strong", children }
              : { type: "strong", children: [{ type: "em", children }] };
      return { inline, end: j + closing };
    }
    j += closing;
  }
  return null;
}
