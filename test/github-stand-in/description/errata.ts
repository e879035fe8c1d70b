// Corrections to GitHub's API description where it contradicts itself; each says what it fixes.

type Json = Record<string, unknown>;

/** One correction: where, why, and the change (applied in place). */
interface Erratum {
  at: string[];
  why: string;
  fix(node: Json): void;
}

const ERRATA: Erratum[] = [
  {
    at: [
      "paths",
      "/app/installations",
      "get",
      "responses",
      "200",
      "content",
      "application/json",
      "schema",
      "items",
      "properties",
      "account",
    ],
    why:
      "The account of an installation is a user or an enterprise: the `installation` schema says " +
      "anyOf, this inline copy says allOf (a user would need an enterprise's slug and dates).",
    fix(node) {
      if (!Array.isArray(node.allOf)) return;
      node.anyOf = node.allOf;
      delete node.allOf;
    },
  },
];

/** Applies every erratum to the (already parsed) description; a missing node is skipped. */
export function applyErrata(spec: Json): void {
  for (const erratum of ERRATA) {
    let node: unknown = spec;
    for (const segment of erratum.at) node = (node as Json | undefined)?.[segment];
    if (typeof node === "object" && node !== null) erratum.fix(node as Json);
  }
}
