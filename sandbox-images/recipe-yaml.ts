// Reads a recipe's YAML text into a plain value, and finds the line where any path inside it is written.
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, ErrorCode, YAMLError } from "yaml";

/** Aliases one document may expand; a few anchors are normal, thousands are a YAML bomb. */
const MAX_ALIAS_COUNT = 100;

/** A YAML problem that stops reading, with its 1-based line. */
export interface YamlSyntaxError {
  line: number | null;
  message: string;
}

/** The document's value and a way to find lines, or why the text is not YAML. */
export type YamlRead =
  | { ok: true; value: unknown; lineOf: (path: readonly PropertyKey[]) => number | null }
  | { ok: false; errors: YamlSyntaxError[] };

// yaml's own wording for these is written for people who know the parser.
const FRIENDLIER: Partial<Record<ErrorCode, string>> = {
  DUPLICATE_KEY: "a key appears twice in the same mapping",
  TAB_AS_INDENT: "tabs cannot indent YAML; use spaces",
  MULTIPLE_DOCS: "the file holds more than one YAML document; a recipe is one document",
};

/** Parses YAML text; never throws. */
export function readYaml(text: string): YamlRead {
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
    resolveKnownTags: false, // !!binary, !!set and the like are refused as unresolved tags
    logLevel: "error", // problems are returned, never printed
  });
  const problems: YAMLError[] = [...doc.errors, ...doc.warnings];
  const lineAt = (offset: number) => counter.linePos(offset).line;
  if (problems.length > 0)
    return {
      ok: false,
      errors: problems.map((problem) => ({
        line: lineAt(problem.pos[0]),
        message: `YAML syntax error: ${FRIENDLIER[problem.code] ?? problem.message}`,
      })),
    };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ line: null, message: `YAML could not be read: ${why}` }] };
  }
  return {
    ok: true,
    value,
    lineOf: (path) => {
      const offset = offsetOf(doc, path);
      return offset === null ? null : lineAt(offset);
    },
  };
}

/** Where the deepest node of the path that exists starts; a mapping entry is found by its key. */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number | null {
  let node: unknown = doc.contents;
  let offset = startOf(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) break;
      offset = startOf(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      offset = startOf(item) ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

function startOf(node: unknown): number | null {
  return isNode(node) && node.range ? node.range[0] : null;
}
