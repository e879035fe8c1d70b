// Runs the model stand-in until SIGTERM or SIGINT:
//   node test/model-stand-in/main.ts [--port 8791] [--host 127.0.0.1] [--seed 1] [--rehearsal]
import { parseArgs } from "node:util";
import { startModelStandIn } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8791" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string", default: "1" },
    rehearsal: { type: "boolean", default: false },
  },
});

const port = Number(values.port);
const seed = Number(values.seed);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(seed)) {
  console.error(
    "usage: node test/model-stand-in/main.ts [--port 8791] [--host 127.0.0.1] [--seed 1] [--rehearsal]",
  );
  process.exit(2);
}

const standIn = await startModelStandIn({
  port,
  host: values.host,
  seed,
  rehearsal: values.rehearsal,
  log: (line) => console.log(line),
});
console.log(
  `model stand-in listening on ${standIn.url}${values.rehearsal ? " (rehearsal on)" : ""}`,
);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    standIn.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
