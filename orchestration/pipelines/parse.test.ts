// Reading pipelines from YAML and JSON: the definition, or located sentences saying what is wrong.
import { describe, expect, it } from "vitest";
import { PipelineInputSchema, pipelineToWire } from "./definition.ts";
import { formatPipelineIssue, parsePipelineValue, parsePipelineYaml } from "./parse.ts";
import type { PipelineParse } from "./parse.ts";

const FILE = ".tandem/pipelines/review-loop.yaml";

const REVIEW_LOOP = `name: review-loop
description: Implement a change, review it, fix what the review finds.
max_rounds: 3
roles:
  - name: implement
    instructions: Make the change the request asks for, with tests.
    output: [{ changes: true }, { has: summary }]
  - name: review
    instructions: Review the change.
    input: [{ changes: true }]
    output: [{ verdict: [approved, changes_requested] }]
    next:
      - { when: [{ verdict: [approved] }], goto: end }
      - { when: [{ verdict: [changes_requested] }], goto: fix }
  - name: fix
    instructions: Fix every finding of the review.
    input: [{ has: findings }]
    next: [{ goto: review }]
`;

function linesOf(result: PipelineParse): string[] {
  if (result.ok) throw new Error("expected the pipeline to be invalid");
  return result.issues.map((issue) => formatPipelineIssue(issue, result.file));
}

const yamlIssues = (text: string) => linesOf(parsePipelineYaml(text, FILE));

/** The review loop with one line replaced, to test one mistake at a time. */
const withLine = (from: string, to: string) => REVIEW_LOOP.replace(from, to);

describe("parsePipelineYaml", () => {
  it("reads the review loop into camelCase with every default filled in", () => {
    const result = parsePipelineYaml(REVIEW_LOOP, FILE);
    expect(result.ok && result.value).toEqual({
      name: "review-loop",
      description: "Implement a change, review it, fix what the review finds.",
      maxRounds: 3,
      roles: [
        {
          name: "implement",
          instructions: "Make the change the request asks for, with tests.",
          input: [],
          output: [{ changes: true }, { has: "summary" }],
          skipWhen: [],
          next: [],
        },
        {
          name: "review",
          instructions: "Review the change.",
          input: [{ changes: true }],
          output: [{ verdict: ["approved", "changes_requested"] }],
          skipWhen: [],
          next: [
            { when: [{ verdict: ["approved"] }], goto: "end" },
            { when: [{ verdict: ["changes_requested"] }], goto: "fix" },
          ],
        },
        {
          name: "fix",
          instructions: "Fix every finding of the review.",
          input: [{ has: "findings" }],
          output: [],
          skipWhen: [],
          next: [{ when: [], goto: "review" }],
        },
      ],
    });
  });

  it("defaults max_rounds to 3 and description to null", () => {
    const result = parsePipelineYaml(
      "name: one\nroles:\n  - name: a\n    instructions: Do it.\n",
      FILE,
    );
    expect(result.ok && [result.value.maxRounds, result.value.description]).toEqual([3, null]);
  });

  it("names the roles when goto points at none of them, on the goto's line", () => {
    expect(yamlIssues(withLine("next: [{ goto: review }]", "next: [{ goto: fixx }]"))).toEqual([
      `${FILE}:18: roles[2].next[0].goto: "fixx" is not a role of this pipeline (roles: implement, review, fix); use a role name or end`,
    ]);
  });

  it("refuses a role name used twice, pointing at the first", () => {
    expect(yamlIssues(withLine("- name: fix", "- name: review"))).toEqual([
      `${FILE}:14: roles[1].next[1].goto: "fix" is not a role of this pipeline (roles: implement, review, review); use a role name or end`,
      `${FILE}:15: roles[2].name: repeats the role name "review" of roles[1]; role names must be unique`,
    ]);
  });

  it("refuses a role named end, which goto reserves for ending the run", () => {
    const result = parsePipelineValue({ name: "x", roles: [{ name: "end", instructions: "go" }] });
    expect(linesOf(result)).toEqual([
      'roles[0].name: cannot be "end": goto end ends the run; name the role for what it does',
    ]);
  });

  it("refuses probes in skip_when and next[].when, saying where they belong", () => {
    const text = [
      "name: probes",
      "roles:",
      "  - name: a",
      "    instructions: go",
      "    skip_when: [{ command: [npm, test] }]",
      "    next:",
      "      - { when: [{ has: plan }, { changes: false }], goto: end }",
    ].join("\n");
    const reason = (key: string, kind: string) =>
      `cannot be used in ${key}, which takes only has and verdict (they are decided from the handoff, without running anything); check ${kind} in a role's input or output instead`;
    expect(yamlIssues(text)).toEqual([
      `${FILE}:5: roles[0].skip_when[0].command: ${reason("skip_when", "command")}`,
      `${FILE}:7: roles[0].next[0].when[1].changes: ${reason("next[].when", "changes")}`,
    ]);
  });

  it("explains a condition with two kinds, none, or an unknown kind", () => {
    expect(
      yamlIssues(
        withLine(
          "input: [{ has: findings }]",
          "input: [{ has: findings, changes: true }, {}, { hass: x }]",
        ),
      ),
    ).toEqual([
      `${FILE}:17: roles[2].input[0]: holds has and changes; write each condition as its own list item`,
      `${FILE}:17: roles[2].input[1]: is empty; a condition is one of has, verdict, changes or command`,
      `${FILE}:17: roles[2].input[2].hass: is not a kind of condition; a condition is one of has, verdict, changes or command`,
    ]);
  });

  it("names the fields of a role when a key is misspelled", () => {
    expect(yamlIssues(withLine("    input: [{ has: findings }]", "    skipWhen: []"))).toEqual([
      `${FILE}:17: roles[2].skipWhen: is not a role field; the fields are name, instructions, input, output, skip_when and next`,
    ]);
  });

  it("checks names, limits and required keys", () => {
    const text = [
      "name: Review Loop",
      "max_rounds: 11",
      "roles:",
      "  - name: 1st",
      "    instructions: ''",
      "  - name: ok",
      "    output: [{ command: [] }, { verdict: [Approved] }]",
    ].join("\n");
    expect(yamlIssues(text)).toEqual([
      `${FILE}:1: name: must be a pipeline name of lower-case letters, digits and "-", starting with a letter, at most 40 characters (got "Review Loop")`,
      `${FILE}:2: max_rounds: must be at most 10`,
      `${FILE}:4: roles[0].name: must be a role name of lower-case letters, digits and "-", starting with a letter, at most 40 characters (got "1st")`,
      `${FILE}:5: roles[0].instructions: must not be empty`,
      `${FILE}:6: roles[1].instructions: is required: what this role is to do`,
      `${FILE}:7: roles[1].output[0].command: must name at least one argument`,
      `${FILE}:7: roles[1].output[1].verdict[0]: must be a verdict word of lower-case letters, digits, "_" and "-", at most 40 characters (got "Approved")`,
    ]);
  });

  it("refuses more than 12 roles", () => {
    const roles = Array.from({ length: 13 }, (_, i) => `  - { name: r${i}, instructions: go }`);
    expect(yamlIssues(["name: many", "roles:", ...roles].join("\n"))).toEqual([
      `${FILE}:2: roles: must hold at most 12 roles`,
    ]);
  });

  it("reports YAML syntax errors and empty files with their lines", () => {
    expect(yamlIssues("name: a\nname: b\n")[0]).toBe(
      `${FILE}:2: YAML syntax error: a key appears twice in the same mapping`,
    );
    expect(yamlIssues("")).toEqual([`${FILE}: the pipeline is empty; it needs a name and roles`]);
  });
});

describe("parsePipelineValue", () => {
  it("reports problems in a JSON body without lines or file", () => {
    const result = parsePipelineValue({
      name: "x",
      roles: [{ name: "a", instructions: "go", next: [{ goto: "b" }] }],
    });
    expect(result).toEqual({
      ok: false,
      file: null,
      issues: [
        {
          line: null,
          path: "roles[0].next[0].goto",
          message: `"b" is not a role of this pipeline (roles: a); use a role name or end`,
        },
      ],
    });
  });

  it("accepts a null description", () => {
    const result = parsePipelineValue({
      name: "x",
      description: null,
      roles: [{ name: "a", instructions: "go" }],
    });
    expect(result.ok && result.value.description).toBe(null);
  });
});

describe("pipelineToWire", () => {
  it("round-trips a definition through its snake_case form", () => {
    const read = parsePipelineYaml(
      withLine("input: [{ has: findings }]", "skip_when: [{ verdict: [approved] }]"),
      FILE,
    );
    if (!read.ok) throw new Error("expected a valid pipeline");
    const wire = pipelineToWire(read.value);
    expect(wire.roles[2]?.skip_when).toEqual([{ verdict: ["approved"] }]);
    expect(wire.max_rounds).toBe(3);
    expect(PipelineInputSchema.parse(JSON.parse(JSON.stringify(wire)))).toEqual(read.value);
  });
});
