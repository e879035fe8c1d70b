// `wrangler types` also declares the Worker's vars as required keys of Node's `process.env`; the
// Node parts of Tandem (sandbox host, scripts, tests) do not run in the Worker, so that block goes.
import { readFileSync, writeFileSync } from "node:fs";

const path = process.argv[2] ?? "worker/worker-configuration.d.ts";
const text = readFileSync(path, "utf8");
const stripped = text.replace(/declare namespace NodeJS \{\n[\s\S]*?\n\}\n/, "");
writeFileSync(path, stripped);
