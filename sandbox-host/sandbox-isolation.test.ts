// What a sandbox cannot do, checked through the provider as the control plane would use it.
import { mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestRepo } from "../sandbox/test-repo.ts";
import { sandboxTestsUnavailable, startTestHost, type TestHost } from "./test-host.ts";

const unavailable = sandboxTestsUnavailable();
const text = (base64: string) => Buffer.from(base64, "base64").toString("utf8");
const SECRET = "ghs_build_credential_that_must_not_leak_0123456789";

describe.skipIf(unavailable !== null)(
  `sandbox isolation${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let test: TestHost;
    let controlPlane: Server;
    let hostPort: Server;
    let imageId: string;
    const sandboxes: string[] = [];

    const sh = async (sandboxId: string, script: string, timeoutMs = 10_000) => {
      const result = await test.client.exec(sandboxId, { argv: ["sh", "-c", script], timeoutMs });
      return { ...result, out: text(result.stdout), err: text(result.stderr) };
    };

    beforeAll(async () => {
      // A stand-in control plane on loopback, reachable only through the forwarded socket.
      controlPlane = createServer((socket) => socket.end("control plane here\n"));
      await new Promise<void>((resolve) => controlPlane.listen(0, "127.0.0.1", resolve));
      hostPort = createServer((socket) => socket.end("you should not reach me\n"));
      await new Promise<void>((resolve) => hostPort.listen(0, "127.0.0.1", resolve));
      const port = (controlPlane.address() as { port: number }).port;
      test = await startTestHost({ controlPlane: { host: "127.0.0.1", port } });
      const repo = await makeTestRepo({ "README.md": "isolated\n" });
      const image = await test.client.buildImage({
        repo: "acme/isolated",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
        credential: { username: "x-access-token", password: SECRET },
      });
      imageId = image.id;
      for (let i = 0; i < 2; i++)
        sandboxes.push(
          (
            await test.client.createSandbox({
              from: { imageId },
              limits: { memoryMiB: 64, pids: 64, cpuMillis: 1000 },
            })
          ).id,
        );
    }, 60_000);

    afterAll(async () => {
      await test?.stop();
      controlPlane?.close();
      hostPort?.close();
    });

    it("runs as an unprivileged user that sees none of the host's files", async () => {
      const r = await sh(
        sandboxes[0]!,
        "id -u; for p in /root /home /work /srv /var /etc/shadow; do test -e $p && echo visible $p; done; true",
      );
      expect(r.out).toBe("64000\n");
    });

    it("cannot see or touch another sandbox", async () => {
      await sh(sandboxes[1]!, "echo mine > /workspace/private.txt; sleep 5 & echo started");
      const r = await sh(
        sandboxes[0]!,
        "test -e /workspace/private.txt && echo leaked; ps -eo args | grep -c '^sleep 5' || true",
      );
      expect(r.out).toBe("0\n");
    });

    it("has no network: DNS fails and the host's loopback ports are unreachable", async () => {
      const port = (hostPort.address() as { port: number }).port;
      const r = await sh(
        sandboxes[0]!,
        `getent hosts example.com || echo dns-fails; perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:${port}", Timeout => 2); print $s ? "connected\\n" : "refused\\n"'`,
      );
      expect(r.out).toBe("dns-fails\nrefused\n");
    });

    it("reaches the control plane through the one forwarded socket", async () => {
      const r = await sh(
        sandboxes[0]!,
        `perl -MIO::Socket::UNIX -e 'my $s = IO::Socket::UNIX->new(Peer => $ENV{TANDEM_CONTROL_SOCKET}) or die "no socket: $!"; print scalar <$s>'`,
      );
      expect(r.out).toBe("control plane here\n");
    });

    it("cannot point its exposed port's relay socket at a socket of the host", async () => {
      // A host service that speaks first, like a database or a mail server would.
      const dir = mkdtempSync(join(tmpdir(), "tandem-impostor-"));
      const received: Buffer[] = [];
      const hostService = createServer((socket) => {
        socket.write("220 host service ready\r\n");
        socket.on("data", (chunk: Buffer) => received.push(chunk));
      });
      await new Promise<void>((resolve) => hostService.listen(join(dir, "service.sock"), resolve));
      try {
        const exposed = await test.client.exposePort(sandboxes[0]!, 3000);
        const r = await sh(
          sandboxes[0]!,
          `rm /run/tandem/ports/3000.sock && ln -s ${join(dir, "service.sock")} /run/tandem/ports/3000.sock && echo swapped`,
        );
        expect(r.out).toBe("swapped\n");
        const response = await fetch(`${exposed.url}containers/create`, {
          method: "POST",
          headers: { authorization: `Bearer ${test.config.token}` },
          body: "{}",
        });
        expect(response.status).toBe(502);
        expect(await response.json()).toMatchObject({ error: { code: "port_unreachable" } });
        expect(Buffer.concat(received).length).toBe(0);
      } finally {
        hostService.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("cannot create nested namespaces", async () => {
      const r = await sh(
        sandboxes[0]!,
        "unshare -U true 2>&1 || echo refused-user; unshare -n true 2>&1 || echo refused-net; unshare -m true 2>&1 || echo refused-mount",
      );
      expect(r.out).toContain("refused-user");
      expect(r.out).toContain("refused-net");
      expect(r.out).toContain("refused-mount");
    });

    it("kills a process over the memory cap while the sandbox lives on", async () => {
      const hog = await sh(
        sandboxes[0]!,
        `perl -e '$x = "a" x (200 * 1024 * 1024); print "survived\\n"'`,
      );
      expect(hog.out).not.toContain("survived");
      // sh reports its child killed by SIGKILL (the OOM killer) as 137.
      expect(hog.exitCode).toBe(137);
      const after = await sh(sandboxes[0]!, "echo still here");
      expect(after.out).toBe("still here\n");
    });

    it("keeps other users of the host out of sandboxes, images and snapshots", async () => {
      await test.client.writeFile(
        sandboxes[0]!,
        "private.txt",
        new TextEncoder().encode("sandbox only\n"),
      );
      await test.client.snapshot(sandboxes[0]!);
      const state = test.config.stateDir;
      const probe = spawnSync(
        "setpriv",
        [
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          "--",
          "sh",
          "-c",
          `cat ${state}/sandboxes/${sandboxes[0]}/upper/private.txt; ls ${state}/images ${state}/snapshots ${state}/sandboxes/${sandboxes[0]}; echo done`,
        ],
        { encoding: "utf8" },
      );
      expect(probe.stdout).toBe("done\n");
      expect(probe.stderr).toContain("Permission denied");
    });

    it("keeps the build credential out of the environment, the files and the git config", async () => {
      const r = await sh(
        sandboxes[0]!,
        `env; cat .git/config; grep -rl '${SECRET}' /workspace /tmp 2>/dev/null; true`,
      );
      expect(r.out).not.toContain(SECRET);
      expect(r.out).toContain("[remote");
      const snapshot = await test.client.snapshot(sandboxes[0]!);
      const restored = await test.client.createSandbox({ from: { snapshotId: snapshot.id } });
      const again = await sh(
        restored.id,
        `grep -rl '${SECRET}' /workspace 2>/dev/null; env | grep -c '${SECRET}' || true`,
      );
      expect(again.out).toBe("0\n");
      await test.client.destroySandbox(restored.id);
    });
  },
);
