// The contract every SandboxProvider must keep, run against each implementation.
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { SandboxProvider } from "./provider.ts";
import { SandboxError } from "./provider.ts";
import { makeTestRemote, makeTestRepo, type TestRepo } from "./test-repo.ts";

const text = (base64: string) => Buffer.from(base64, "base64").toString("utf8");
const bytes = (s: string) => new TextEncoder().encode(s);

/** What a provider's test file hands the contract. */
export interface ContractSetup {
  provider: () => SandboxProvider;
  /** Headers that let a request through to an exposed port's URL (the provider's credentials). */
  portHeaders: () => Record<string, string>;
}

/** A small HTTP and WebSocket echo server for inside a sandbox, in core Perl. It answers
 * `/big?n=N` with N bytes and anything else with what it was asked, then closes. */
const PORT_SERVER = String.raw`
use strict;
use IO::Socket::INET;
use Digest::SHA qw(sha1_base64);
my $server = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $ARGV[0], Listen => 8,
  ReuseAddr => 1) or die "cannot listen: $!";
$| = 1;
print "ready\n";
while (my $c = $server->accept) {
  my $head = do { local $/ = "\r\n\r\n"; <$c> } // next;
  my ($method, $target) = $head =~ /^(\S+) (\S+)/;
  my %h;
  $h{lc $1} = $2 while $head =~ /^([\w-]+):[ \t]*(.*?)\r$/mg;
  read($c, my $body, $h{'content-length'} // 0);
  if (lc($h{upgrade} // '') eq 'websocket') {
    my $accept = sha1_base64($h{'sec-websocket-key'} . '258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    print $c "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n",
      "Sec-WebSocket-Accept: $accept=\r\n\r\n";
    while (read($c, my $frame, 2) == 2) {    # masked client frames under 126 bytes
      my ($first, $length) = unpack 'CC', $frame;
      $length &= 127;
      read($c, my $mask, 4);
      read($c, my $data, $length);
      $data ^= substr($mask x ($length + 1), 0, $length);
      if (($first & 15) == 8) { print $c pack('CC', 0x88, 0); last }
      print $c pack('CC', $first, length $data), $data;
    }
  } else {
    my $reply = $target =~ m{^/big\?n=(\d+)$} ? 'x' x $1
      : "$method $target authorization=" . ($h{authorization} ? 'forwarded' : 'absent') . " body=$body";
    print $c "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ", length($reply),
      "\r\nX-Served-By: sandbox\r\nConnection: close\r\n\r\n", $reply;
  }
  close $c;
}
`;

/** Sends one message over a WebSocket and resolves with the first message back. */
function webSocketEcho(url: string, headers: Record<string, string>, message: string) {
  return new Promise<string>((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on("open", () => socket.send(message));
    socket.on("message", (data) => {
      resolve(String(data));
      socket.close();
    });
    socket.on("error", reject);
    socket.on("unexpected-response", (_req, res) => reject(new Error(`status ${res.statusCode}`)));
  });
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SandboxError);
  expect((error as SandboxError).code).toBe(code);
}

/** Registers the shared provider tests. */
export function describeProviderContract(name: string, setup: ContractSetup): void {
  describe(`SandboxProvider contract: ${name}`, () => {
    let repo: TestRepo;
    let imageId: string;

    it("declares what it can enforce", async () => {
      const caps = await setup.provider().capabilities();
      expect(caps.snapshots).toBe(true);
      expect(Array.isArray(caps.missing)).toBe(true);
    });

    it("builds an image at an exact commit, running its steps and streaming their logs", async () => {
      repo = await makeTestRepo({
        "README.md": "hello from the repo\n",
        "scripts/test.sh": "#!/bin/sh\necho tests pass\n",
      });
      await repo.commit({ "later.txt": "not in the image\n" });
      const logs: string[] = [];
      const image = await setup.provider().buildImage(
        {
          repo: "acme/widgets",
          cloneUrl: repo.dir,
          commit: repo.commits[0]!,
          steps: [
            { name: "build", run: "echo built > build-output.txt && echo step says hi" },
            { name: "warm-up", run: "./scripts/test.sh" },
          ],
        },
        (event) => event.type === "log" && logs.push(event.text),
      );
      imageId = image.id;
      expect(image).toMatchObject({ repo: "acme/widgets", commit: repo.commits[0] });
      expect(image.steps.map((s) => [s.name, s.exitCode])).toEqual([
        ["build", 0],
        ["warm-up", 0],
      ]);
      expect(logs).toContain("step says hi");
      expect(logs).toContain("tests pass");
      expect((await setup.provider().listImages()).map((i) => i.id)).toContain(imageId);
    });

    it("fails a build whose step fails, says which step, and keeps earlier images", async () => {
      const error = await setup
        .provider()
        .buildImage({
          repo: "acme/widgets",
          cloneUrl: repo.dir,
          commit: repo.commits[0]!,
          steps: [{ name: "broken", run: "exit 3" }],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxError);
      expect((error as SandboxError).code).toBe("build_failed");
      expect((error as SandboxError).message).toContain("broken");
      expect((await setup.provider().listImages()).map((i) => i.id)).toContain(imageId);
    });

    it("runs commands in a sandbox over the image, with exit codes, stdin, env and cwd", async () => {
      const provider = setup.provider();
      const sandbox = await provider.createSandbox({ from: { imageId } });
      try {
        expect(sandbox.state).toBe("running");
        const cat = await provider.exec(sandbox.id, {
          argv: ["cat", "README.md", "build-output.txt"],
        });
        expect(cat.exitCode).toBe(0);
        expect(text(cat.stdout)).toBe("hello from the repo\nbuilt\n");
        const missing = await provider.exec(sandbox.id, { argv: ["cat", "later.txt"] });
        expect(missing.exitCode).not.toBe(0);
        const piped = await provider.exec(sandbox.id, {
          argv: ["sh", "-c", 'cat; echo "$GREETING"; pwd'],
          stdin: btoa("in\n"),
          env: { GREETING: "hi" },
          cwd: "/workspace/scripts",
        });
        expect(text(piped.stdout)).toBe("in\nhi\n/workspace/scripts\n");
        const chunks: string[] = [];
        const streamed = await provider.exec(
          sandbox.id,
          { argv: ["sh", "-c", "echo one; sleep 0.2; echo two >&2"] },
          {
            onOutput: (stream, data) => chunks.push(`${stream}:${new TextDecoder().decode(data)}`),
          },
        );
        expect(streamed.exitCode).toBe(0);
        expect(chunks.join("")).toBe("stdout:one\nstderr:two\n");
        const nowhere = await provider.exec(sandbox.id, { argv: ["no-such-program"] });
        expect(nowhere.exitCode).toBe(127);
      } finally {
        await provider.destroySandbox(sandbox.id);
      }
    });

    it("kills the whole process group at the timeout and keeps head and tail of long output", async () => {
      const provider = setup.provider();
      const sandbox = await provider.createSandbox({ from: { imageId } });
      try {
        const started = Date.now();
        const slow = await provider.exec(sandbox.id, {
          argv: ["sh", "-c", "sleep 30 & echo started; sleep 30"],
          timeoutMs: 500,
        });
        expect(slow.timedOut).toBe(true);
        expect(Date.now() - started).toBeLessThan(10_000);
        const left = await provider.exec(sandbox.id, {
          argv: ["sh", "-c", "ps -eo args | grep -c '^sleep 30' || true"],
        });
        expect(text(left.stdout).trim()).toBe("0");
        const long = await provider.exec(sandbox.id, {
          argv: ["sh", "-c", "echo FIRST; head -c 200000 /dev/zero | tr '\\0' x; echo; echo LAST"],
          maxOutputBytes: 4096,
        });
        expect(long.truncated).toBe(true);
        expect(long.stdoutBytes).toBeGreaterThan(200_000);
        const kept = text(long.stdout);
        expect(kept.startsWith("FIRST")).toBe(true);
        expect(kept.trimEnd().endsWith("LAST")).toBe(true);
        expect(kept.length).toBeLessThan(6_000);
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 300);
        const aborted = await provider
          .exec(sandbox.id, { argv: ["sleep", "30"] }, { signal: controller.signal })
          .catch((e: unknown) => e);
        expect(aborted).toBeDefined();
      } finally {
        await provider.destroySandbox(sandbox.id);
      }
    });

    it("reads and writes files, with missing files as a value", async () => {
      const provider = setup.provider();
      const sandbox = await provider.createSandbox({ from: { imageId } });
      try {
        const binary = new Uint8Array([0, 1, 2, 250, 255, 10]);
        await provider.writeFile(sandbox.id, "deep/dir/data.bin", binary);
        const read = await provider.readFile(sandbox.id, "/workspace/deep/dir/data.bin");
        expect(read.found && [...read.data]).toEqual([...binary]);
        expect(await provider.readFile(sandbox.id, "nope.txt")).toEqual({ found: false });
        const listed = await provider.exec(sandbox.id, { argv: ["ls", "deep/dir"] });
        expect(text(listed.stdout)).toBe("data.bin\n");
      } finally {
        await provider.destroySandbox(sandbox.id);
      }
    });

    it("restores a snapshot's changes and deletions onto the same image only", async () => {
      const provider = setup.provider();
      const first = await provider.createSandbox({ from: { imageId } });
      const snapshot = await (async () => {
        try {
          await provider.writeFile(first.id, "notes/turn-1.md", bytes("what the agent did\n"));
          await provider.exec(first.id, {
            argv: [
              "sh",
              "-c",
              "rm README.md && rm -r scripts && mkdir scripts && echo new > scripts/only.txt",
            ],
          });
          return await provider.snapshot(first.id);
        } finally {
          await provider.destroySandbox(first.id);
        }
      })();
      expect(snapshot.imageId).toBe(imageId);
      const second = await provider.createSandbox({ from: { snapshotId: snapshot.id } });
      try {
        expect(second).toMatchObject({ imageId, restoredFrom: snapshot.id });
        const tree = await provider.exec(second.id, {
          argv: ["sh", "-c", "ls; ls scripts; cat notes/turn-1.md"],
        });
        expect(text(tree.stdout)).toBe(
          "build-output.txt\nnotes\nscripts\nonly.txt\nwhat the agent did\n",
        );
        await expectCode(provider.deleteImage(imageId), "image_in_use");
      } finally {
        await provider.destroySandbox(second.id);
      }
      await expectCode(provider.deleteImage(imageId), "image_in_use");
      await provider.deleteSnapshot(snapshot.id);
      await expectCode(provider.createSandbox({ from: { snapshotId: snapshot.id } }), "not_found");
    });

    it("exposes a server inside the sandbox to any method, streamed bodies and WebSockets", async () => {
      const provider = setup.provider();
      const headers = setup.portHeaders();
      const sandbox = await provider.createSandbox({ from: { imageId } });
      const stopServer = new AbortController();
      try {
        const exposed = await provider.exposePort(sandbox.id, 3000);
        expect(exposed.port).toBe(3000);
        expect(exposed.url).toMatch(/\/3000\/$/);
        const early = await fetch(exposed.url, { headers });
        expect(early.status).toBe(502);
        expect(await early.json()).toMatchObject({ error: { code: "port_unreachable" } });
        await expectCode(
          provider.fetchPort(sandbox.id, 3000, new Request("http://preview.test/")),
          "port_unreachable",
        );

        await provider.writeFile(sandbox.id, "port-server.pl", bytes(PORT_SERVER));
        let output = "";
        const ready = new Promise<void>((resolve, reject) => {
          provider
            .exec(
              sandbox.id,
              { argv: ["perl", "port-server.pl", "3000"] },
              {
                signal: stopServer.signal,
                onOutput: (_, data) => {
                  output += new TextDecoder().decode(data);
                  if (output.includes("ready")) resolve();
                },
              },
            )
            .then((result) => reject(new Error(`the server ended: ${text(result.stderr)}`)))
            .catch(reject);
        });
        await ready;

        const echoed = await fetch(`${exposed.url}echo/path?q=1`, {
          method: "POST",
          headers,
          body: "a body",
        });
        expect(echoed.status).toBe(200);
        expect(echoed.headers.get("x-served-by")).toBe("sandbox");
        expect(await echoed.text()).toBe("POST /echo/path?q=1 authorization=absent body=a body");
        const big = await fetch(`${exposed.url}big?n=3000000`, { headers });
        expect((await big.arrayBuffer()).byteLength).toBe(3_000_000);
        expect(await provider.exposePort(sandbox.id, 3000)).toEqual(exposed);
        const put = await fetch(exposed.url, { method: "PUT", headers, body: "again" });
        expect(await put.text()).toBe("PUT / authorization=absent body=again");

        const wsUrl = `${exposed.url.replace(/^http/, "ws")}socket`;
        expect(await webSocketEcho(wsUrl, headers, "over the socket")).toBe("over the socket");

        const unexposed = await fetch(exposed.url.replace("/3000/", "/3001/"), { headers });
        expect(unexposed.status).toBe(404);
        expect(await unexposed.json()).toMatchObject({ error: { code: "not_found" } });
        await expectCode(provider.exposePort(sandbox.id, 70_000), "invalid_input");

        // The same server through fetchPort: the request's path, query, method and body go
        // along, its Authorization does not, and the answer streams back whole.
        const through = (path: string, init?: RequestInit) =>
          provider.fetchPort(sandbox.id, 3000, new Request(`http://preview.test${path}`, init));
        const posted = await through("/forms/save?draft=1&x=%20y", {
          method: "POST",
          headers: { authorization: "Bearer not-for-the-sandbox", "content-length": "9" },
          body: "form=data",
        });
        expect(posted.status).toBe(200);
        expect(posted.headers.get("x-served-by")).toBe("sandbox");
        expect(await posted.text()).toBe(
          "POST /forms/save?draft=1&x=%20y authorization=absent body=form=data",
        );
        const large = await through("/big?n=2500000");
        expect((await large.arrayBuffer()).byteLength).toBe(2_500_000);
        await expectCode(
          provider.fetchPort(sandbox.id, 3001, new Request("http://preview.test/")),
          "not_found",
        );
      } finally {
        stopServer.abort();
        await provider.destroySandbox(sandbox.id);
      }
      await expectCode(provider.exposePort(sandbox.id, 3000), "not_found");
      await expectCode(
        provider.fetchPort(sandbox.id, 3000, new Request("http://preview.test/")),
        "not_found",
      );
    });

    it("syncs the workspace to the remote's latest commit and pushes the work branch, credentials staying outside", async () => {
      const provider = setup.provider();
      const remote = await makeTestRemote({ "app.txt": "v1\n" });
      const image = await provider.buildImage({
        repo: "acme/remote",
        cloneUrl: remote.url,
        commit: remote.commits[0]!,
      });
      const moved = await remote.commit({ "app.txt": "v2\n", "new.txt": "arrived later\n" });
      const sandbox = await provider.createSandbox({ from: { imageId: image.id } });
      try {
        const synced = await provider.syncWorkspace(sandbox.id, {
          cloneUrl: remote.url,
          branch: "main",
        });
        expect(synced).toEqual({ commit: moved, base: remote.commits[0], changed: true });
        const tree = await provider.exec(sandbox.id, {
          argv: ["sh", "-c", "cat app.txt new.txt; git rev-parse --abbrev-ref HEAD"],
        });
        expect(text(tree.stdout)).toBe("v2\narrived later\ntandem/work\n");
        // The host's side of the exchange is out of the sandbox's reach.
        const tamper = await provider.exec(sandbox.id, {
          argv: [
            "sh",
            "-c",
            "touch /run/tandem/x 2>&1; mv /run/tandem/inbox /run/tandem/in2 2>&1; ls /run/tandem",
          ],
        });
        expect(text(tamper.stdout)).toContain("Permission denied");
        expect(text(tamper.stdout)).toContain("inbox");
        const again = await provider.syncWorkspace(sandbox.id, {
          cloneUrl: remote.url,
          branch: "main",
        });
        expect(again.commit).toBe(moved);
        const committed = await provider.exec(sandbox.id, {
          argv: [
            "sh",
            "-c",
            "echo fix > fix.txt && git add fix.txt && git -c user.name=Ada -c user.email=ada@example.com commit -qm 'Fix it' && git rev-parse HEAD",
          ],
        });
        const localHead = text(committed.stdout).trim();
        const pushed = await provider.pushWorkspace(sandbox.id, {
          cloneUrl: remote.url,
          branch: "tandem/session-1",
        });
        expect(pushed).toEqual({ commit: localHead, branch: "tandem/session-1" });
        expect(await remote.head("tandem/session-1")).toBe(localHead);
        expect(await remote.head("main")).toBe(moved);
      } finally {
        await provider.destroySandbox(sandbox.id);
        await provider.deleteImage(image.id);
      }
    });

    it("forgets destroyed sandboxes and answers unknown ids with not_found", async () => {
      const provider = setup.provider();
      const sandbox = await provider.createSandbox({ from: { imageId } });
      expect((await provider.listSandboxes()).map((s) => s.id)).toContain(sandbox.id);
      expect(await provider.getSandbox(sandbox.id)).toMatchObject({ id: sandbox.id });
      await provider.destroySandbox(sandbox.id);
      expect(await provider.getSandbox(sandbox.id)).toBeNull();
      // Only a crash leaves a rescue: a destroyed sandbox and an unknown id have none.
      expect(await provider.rescued(sandbox.id)).toBeNull();
      expect(await provider.rescued("sbx_00000000000000000000000000")).toBeNull();
      expect(await provider.rescued("not-an-id")).toBeNull();
      await expectCode(provider.exec(sandbox.id, { argv: ["true"] }), "not_found");
      await expectCode(
        provider.createSandbox({ from: { imageId: "img_00000000000000000000000000" } }),
        "not_found",
      );
    });

    it("deletes an image nothing refers to", async () => {
      const provider = setup.provider();
      await provider.deleteImage(imageId);
      expect((await provider.listImages()).map((i) => i.id)).not.toContain(imageId);
    });
  });
}
