// Turns OpenAPI 3.0's `nullable` into JSON Schema that a JSON-schema validator understands.

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Rewrites, in place, every schema node with a boolean `nullable`: `nullable: true` with a string
 * `type` becomes `type: [type, "null"]` (and `null` joins an `enum`); without a `type` (an `allOf`,
 * `oneOf`, `anyOf` or `$ref` wrapper) the node becomes `anyOf: [node, { type: "null" }]`.
 * `nullable: false` is dropped. A property that is itself named "nullable" holds an object, so it
 * is left alone.
 */
export function rewriteNullable(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (!isNode(value)) continue;
    stack.push(...Object.values(value));
    if (typeof value.nullable !== "boolean") continue;
    const nullable = value.nullable;
    delete value.nullable;
    if (!nullable) continue;
    if (typeof value.type === "string") {
      value.type = [value.type, "null"];
      if (Array.isArray(value.enum) && !value.enum.includes(null)) value.enum.push(null);
      continue;
    }
    if (Array.isArray(value.type)) {
      if (!value.type.includes("null")) value.type.push("null");
      continue;
    }
    const inner: Node = { ...value };
    for (const key of Object.keys(value)) delete value[key];
    value.anyOf = [inner, { type: "null" }];
  }
}
