// The command line: it prints where it listens and the App's credentials, writes the key file,
// keeps the key across restarts, and stops on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "github-stand-in-main-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts the CLI and resolves with its printed lines once the summary is out. */
function start(args: string[]): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, [MAIN, "--port", "0", "--quiet", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      lines.push(...parts);
      if (lines.some((line) => line.trimStart().startsWith("repositories:")))
        resolve({ child, lines });
    });
    child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    child.once("exit", (code) =>
      reject(new Error(`the stand-in exited with ${code} before it was ready`)),
    );
  });
}

const field = (lines: string[], name: string) =>
  lines
    .find((line) => line.trimStart().startsWith(`${name}:`))!
    .split(/:\s+/)
    .slice(1)
    .join(": ");

describe("main.ts", () => {
  it("prints its URL and the App's credentials, keeps the key file, and stops on SIGTERM", async () => {
    const keyFile = join(dir, "key.pem");
    const first = await start(["--key-file", keyFile, "--client-secret", "s3cret"]);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(first.lines[0]!)![1]!;
    expect(field(first.lines, "client secret")).toBe("s3cret");
    expect(field(first.lines, "private key")).toBe(`${keyFile} (PKCS#8 PEM)`);
    const key = await readFile(keyFile, "utf8");
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const info = (await (await fetch(`${url}/_stand-in/info`)).json()) as {
      app: { privateKeyPkcs8: string };
    };
    expect(info.app.privateKeyPkcs8).toBe(key);
    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGTERM");
    expect(await exited).toBe(0);

    const second = await start(["--key-file", keyFile]);
    const secondUrl = /listening on (\S+)/.exec(second.lines[0]!)![1]!;
    const again = (await (await fetch(`${secondUrl}/_stand-in/info`)).json()) as {
      app: { privateKeyPkcs8: string };
    };
    expect(again.app.privateKeyPkcs8).toBe(key);
    second.child.kill("SIGTERM");
  });
});
