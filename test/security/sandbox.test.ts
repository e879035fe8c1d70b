// What one session's sandbox can reach of another's, and which secrets reach a sandbox at all,
// against the real sandbox host the integration setup starts. Probes go to loopback and local
// names only, never to any other address.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionEvent } from "../../protocol/events.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import type { SandboxProvider } from "../../sandbox/provider.ts";
import {
  createSession,
  registerWithImage,
  signUp,
  type TestPerson,
} from "../integration/helpers.ts";
import { putModelScript } from "../support/model-script.ts";

const host = JSON.parse(env.TEST_SANDBOX_HOST) as
  { url: string; repoDir: string; commits: string[] } | { unavailable: string };
const unavailable = "unavailable" in host ? host.unavailable : null;
const REPO = "acme/guarded";
const PORT = 47_311;

async function eventsOf(person: TestPerson, sessionId: string): Promise<SessionEvent[]> {
  return (
    (await (await person.api(`/api/sessions/${sessionId}/events?limit=1000`)).json()) as {
      events: SessionEvent[];
    }
  ).events;
}

/** Creates a session with a first prompt and waits until its turn has finished on a ready sandbox. */
async function sessionWithSandbox(owner: TestPerson, text: string): Promise<[string, string]> {
  const sessionId = await createSession(owner, {
    repo: REPO,
    prompt: { clientId: "first", text },
  });
  // The model does not wait for the sandbox, so the turn and the sandbox are each waited for.
  const readySandbox = (events: SessionEvent[]) =>
    events
      .flatMap((e) =>
        e.type === "sandbox.status" && e.data.status === "ready" ? [e.data.sandboxId] : [],
      )
      .at(-1);
  await expect
    .poll(
      async () => {
        const events = await eventsOf(owner, sessionId);
        return events.some((e) => e.type === "prompt.finished") && Boolean(readySandbox(events));
      },
      { timeout: 25_000 },
    )
    .toBe(true);
  const sandboxId = readySandbox(await eventsOf(owner, sessionId));
  return [sessionId, sandboxId!];
}

describe.skipIf(unavailable !== null)(
  `session sandboxes${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    const demo = host as { url: string; repoDir: string; commits: string[] };
    let provider: SandboxProvider;
    let alice: TestPerson;

    const sh = async (sandboxId: string, script: string, stdin?: string) => {
      const result = await provider.exec(sandboxId, {
        argv: ["bash", "-c", script],
        timeoutMs: 30_000,
        ...(stdin === undefined ? {} : { stdin: btoa(stdin) }),
      });
      return atob(result.stdout);
    };

    let registered: Promise<string> | undefined;
    /** Registers the repository once; `expect.poll` inside it must run within a test. */
    const ready = () =>
      (registered ??= registerWithImage(alice, REPO, demo.repoDir, demo.commits.at(-1)!));

    beforeAll(async () => {
      provider = sandboxProviderFrom(env)!;
      alice = await signUp();
    });

    it("keeps one session's files, processes and loopback ports out of another session's sandbox", async () => {
      await ready();
      const mallory = await signUp();
      const [, mine] = await sessionWithSandbox(alice, "first session");
      const [, theirs] = await sessionWithSandbox(mallory, "second session");
      expect(mine).not.toBe(theirs);

      // Alice's sandbox holds a private file and serves a port on loopback.
      await sh(
        mine,
        "echo alice-private-7f3a > /workspace/alice-private.txt; echo alice-tmp > /tmp/alice-tmp.txt",
      );
      await sh(
        mine,
        `setsid perl -MIO::Socket::INET -e '$0 = "alice-listener-7f3a"; my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1:${PORT}", Listen => 5, ReuseAddr => 1) or die; while (my $c = $s->accept) { print $c "alice-port\\n"; close $c }' </dev/null >/dev/null 2>&1 & sleep 0.5`,
      );
      const connect = (peer: string) =>
        `perl -MIO::Socket::IP -e 'my $s = IO::Socket::IP->new(PeerHost => "${peer}", PeerPort => ${PORT}, Timeout => 2); print $s ? scalar(<$s>) : "refused\\n"'`;
      // The listener is alive and answering inside Alice's own sandbox, so the probes below mean something.
      expect(await sh(mine, connect("127.0.0.1"))).toBe("alice-port\n");
      expect(await sh(mine, "ps -eo args | grep -c '^alice-listener-7f3a' || true")).toBe("1\n");

      const hostname = (await sh(mine, "hostname")).trim();
      const probe = await sh(
        theirs,
        [
          "grep -rIl alice-private-7f3a / --exclude-dir=proc --exclude-dir=sys 2>/dev/null",
          "test -e /tmp/alice-tmp.txt && echo tmp-visible",
          // The brackets keep this probe's own command line from matching.
          "ps -eo args | grep -c '^alice-listen[e]r-7f3a' || true",
          "grep -l 'alice-listen[e]r' /proc/[0-9]*/cmdline 2>/dev/null",
          connect("127.0.0.1"),
          connect("::1"),
          connect("localhost"),
          connect(hostname),
        ].join("; "),
      );
      expect(probe).toBe("0\nrefused\nrefused\nrefused\nrefused\n");
    });

    it("puts no token in events, the sandbox environment, the workspace or a snapshot taken after a turn", async () => {
      await ready();
      const secrets = [
        alice.token,
        env.SANDBOX_HOST_TOKEN,
        env.SESSION_SECRET,
        // Bound only in the test pool, so absent from the generated `Env`.
        (env as unknown as { ANTHROPIC_API_KEY?: string }).ANTHROPIC_API_KEY,
      ].filter((s): s is string => typeof s === "string" && s.length > 0);
      const script = await putModelScript(env.ANTHROPIC_BASE_URL, "security-scan", {
        responses: [
          {
            content: [
              {
                type: "tool_use",
                name: "run_command",
                input: {
                  command:
                    "env > /workspace/env-dump.txt; git config --list >> /workspace/env-dump.txt",
                },
              },
            ],
          },
          { content: [{ type: "text", text: "Dumped the environment." }] },
        ],
      });
      expect(script.status).toBe(200);
      const [sessionId, sandboxId] = await sessionWithSandbox(
        alice,
        "Look around [script:security-scan]",
      );
      const { token: shareToken } = (await (
        await alice.api(`/api/sessions/${sessionId}/share-links`, { body: { role: "viewer" } })
      ).json()) as { token: string };
      secrets.push(shareToken);

      // The turn ran its command in the sandbox, so the workspace holds what the environment showed it.
      const events = await eventsOf(alice, sessionId);
      expect(events.some((e) => e.type === "agent.tool_finished")).toBe(true);
      expect(await sh(sandboxId, "test -s /workspace/env-dump.txt && echo dumped")).toBe(
        "dumped\n",
      );
      const eventText = JSON.stringify(events);
      for (const secret of secrets) expect(eventText).not.toContain(secret);

      // Patterns come in on stdin, so they never sit in a file or a command line in the sandbox.
      const scan = `
        env | grep -F -f /tmp/patterns -c || true
        for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f" 2>/dev/null; done | grep -F -f /tmp/patterns -c || true
        grep -rIl -F -f /tmp/patterns / --exclude-dir=proc --exclude-dir=sys --exclude=patterns 2>/dev/null | grep -v '^/tmp/patterns$'
        true`;
      const withPatterns = (body: string) => `cat > /tmp/patterns; ${body}; rm -f /tmp/patterns`;
      const patterns = `${secrets.join("\n")}\n`;
      expect(await sh(sandboxId, withPatterns(scan), patterns)).toBe("0\n0\n");

      // A snapshot after the turn holds the sandbox's own layer; unpacked into a fresh sandbox, every
      // byte of it is on disk there to scan.
      const snapshot = await provider.snapshot(sandboxId);
      const restored = await provider.createSandbox({ from: { snapshotId: snapshot.id } });
      try {
        expect(await sh(restored.id, "test -s /workspace/env-dump.txt && echo restored")).toBe(
          "restored\n",
        );
        expect(await sh(restored.id, withPatterns(scan), patterns)).toBe("0\n0\n");
      } finally {
        await provider.destroySandbox(restored.id);
        await provider.deleteSnapshot(snapshot.id).catch(() => {});
      }
    });
  },
);
