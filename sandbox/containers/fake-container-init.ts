// The first process of a fake container (see fake-container.ts): it stands in for the platform's
// side of a container. It relays connections from outside to ports inside (the container has its
// own network namespace), forwards signals, and exits with the entrypoint.
// argv: <runtime socket path> <entrypoint…>
import { spawn } from "node:child_process";
import { chmodSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { constants } from "node:os";

const [socketPath, command, ...args] = process.argv.slice(2);
if (!socketPath || !command) throw new Error("usage: fake-container-init <socket> <entrypoint…>");

const entrypoint = spawn(command, args, { stdio: "inherit" });
entrypoint.on("error", (error) => {
  console.error(`cannot start the entrypoint: ${error.message}`);
  process.exit(127);
});
entrypoint.on("exit", (code, signal) => {
  const number = signal ? (constants.signals[signal] ?? 9) : 0;
  process.exit(code ?? 128 + number);
});

/** Each connection names what it wants in its first line: `port <n>` or `signal <n>`. */
const runtime = createServer((client: Socket) => {
  let head = "";
  const onData = (chunk: Buffer) => {
    head += chunk.toString("latin1");
    const newline = head.indexOf("\n");
    if (newline < 0) {
      if (head.length > 64) client.destroy();
      return;
    }
    client.off("data", onData);
    client.pause();
    const [verb, value] = head.slice(0, newline).split(" ");
    const rest = Buffer.from(head.slice(newline + 1), "latin1");
    const number = Number(value);
    if (verb === "signal") {
      entrypoint.kill(number);
      client.end("ok\n");
      return;
    }
    if (verb !== "port" || !Number.isInteger(number)) return void client.destroy();
    const inside = connect({ host: "127.0.0.1", port: number });
    inside.once("error", () => client.destroy());
    inside.once("connect", () => {
      inside.on("error", () => client.destroy());
      client.on("error", () => inside.destroy());
      client.write("ok\n");
      if (rest.length > 0) inside.write(rest);
      client.pipe(inside).pipe(client);
      client.resume();
    });
  };
  client.on("data", onData);
  client.on("error", () => client.destroy());
});
runtime.listen(socketPath, () => chmodSync(socketPath, 0o600));
