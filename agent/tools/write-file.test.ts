// write_file against a real sandbox.
import { expect, it } from "vitest";
import { readFile } from "./read-file.ts";
import { describeWithSandbox } from "./test-sandbox.ts";
import { writeFile } from "./write-file.ts";

describeWithSandbox("write_file", { "run.sh": "#!/bin/sh\necho old\n" }, (fixture) => {
  it("creates a file and its folders, then read_file reads it back", async () => {
    const written = await fixture().call(writeFile, {
      path: "src/deep/new.ts",
      content: "export const x = 1;\nexport const y = 'ü';\n",
    });
    expect(written).toEqual({
      isError: false,
      output: "Wrote 43 bytes (2 lines) to src/deep/new.ts.",
    });
    const read = await fixture().call(readFile, { path: "src/deep/new.ts" });
    expect(read.output).toBe("     1\texport const x = 1;\n     2\texport const y = 'ü';");
  });

  it("replaces an existing file and keeps its permissions", async () => {
    await fixture().call(writeFile, { path: "run.sh", content: "#!/bin/sh\necho new\n" });
    expect(await fixture().shell("stat -c %a run.sh && ./run.sh")).toBe("755\nnew\n");
  });

  it("refuses to write over a folder", async () => {
    await fixture().shell("mkdir -p folder");
    const written = await fixture().call(writeFile, { path: "folder", content: "x" });
    expect(written).toMatchObject({
      isError: true,
      output: expect.stringContaining("is a directory"),
    });
  });
});
