// The registry, the definitions the model is given, and input validation.
import { describe, expect, it } from "vitest";
import { parseToolInput, toolByName, toolDefinitions, toolNames, TOOLS } from "./index.ts";

describe("the tool registry", () => {
  it("holds each tool once under a snake_case name", () => {
    const names = toolNames();
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z_]*$/);
    expect(names).toEqual(
      expect.arrayContaining([
        "read_file",
        "write_file",
        "edit_file",
        "list_files",
        "glob",
        "grep",
        "run_command",
        "git_status",
        "git_diff",
      ]),
    );
    expect(toolByName("read_file")?.access).toBe("read");
    expect(toolByName("run_command")?.access).toBe("write");
    expect(toolByName("nope")).toBeUndefined();
  });

  it("describes every tool to the model as an object schema without $schema", () => {
    const definitions = toolDefinitions();
    expect(definitions.map((d) => d.name)).toEqual(TOOLS.map((t) => t.name));
    for (const definition of definitions) {
      expect(definition.description!.length).toBeGreaterThan(40);
      expect(definition.input_schema.type).toBe("object");
      expect(definition.input_schema).not.toHaveProperty("$schema");
    }
    const edit = definitions.find((d) => d.name === "edit_file")!.input_schema;
    expect(edit.required).toEqual(["path", "old_string", "new_string"]);
    expect(edit.properties).toMatchObject({
      replace_all: { type: "boolean", description: expect.any(String) },
    });
    const status = definitions.find((d) => d.name === "git_status")!.input_schema;
    expect(status).toMatchObject({ type: "object", properties: {} });
  });
});

describe("parseToolInput", () => {
  it("returns the validated input", () => {
    const parsed = parseToolInput(toolByName("read_file")!, { path: "a.ts", offset: 3 });
    expect(parsed).toEqual({ ok: true, value: { path: "a.ts", offset: 3 } });
    expect(parseToolInput(toolByName("git_status")!, undefined)).toEqual({ ok: true, value: {} });
  });

  it("names every wrong field and says to call again", () => {
    const parsed = parseToolInput(toolByName("read_file")!, { offset: "3", limit: 0 });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe("invalid_input");
    const message = parsed.error.message;
    expect(message).toContain("The input for read_file is invalid");
    expect(message).toMatch(/- path: .*expected string/);
    expect(message).toMatch(/- offset: .*expected number/);
    expect(message).toMatch(/- limit: /);
    expect(message).toContain("Call read_file again");
  });

  it("explains input that is not an object", () => {
    const parsed = parseToolInput(toolByName("grep")!, "TODO");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/- input: .*expected object/);
  });
});
