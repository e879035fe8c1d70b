// Fan-out in real sessions: one question to two spaces of the routing guide, one of which hangs;
// the hanging space is skipped with a message, and the answer is one synthesized comparison.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { TeamView } from "../../protocol/team.ts";
import { eventsOf, scriptNamed, text } from "./scripted.ts";
import { createSession, signUp, type TestPerson } from "./helpers.ts";

/** An organisation whose shop repository has a staging and a production space. */
async function shopWithEnvironments(person: TestPerson, purposes: [string, string]) {
  const org = `acme-${crypto.randomUUID().slice(0, 8)}`;
  const repo = `${org}/shop`;
  expect((await person.api("/api/repositories", { body: { repo, warmPoolSize: 0 } })).status).toBe(
    201,
  );
  const put = await person.api(`/api/orgs/${org}/routing`, {
    method: "PUT",
    body: {
      spaces: [
        {
          name: "staging",
          kind: "environment",
          repo,
          environment: "staging",
          purpose: purposes[0],
          coverage: ["deploys", "runtime"],
        },
        {
          name: "production",
          kind: "environment",
          repo,
          environment: "production",
          purpose: purposes[1],
          coverage: ["deploys", "runtime"],
        },
      ],
    },
  });
  expect(put.status, await put.clone().text()).toBe(200);
  return { org, repo };
}

describe("fan-out", () => {
  it("compares staging and production, skipping a space that hangs, in one synthesis", async () => {
    const owner = await signUp();
    const staging = await scriptNamed("fan", [
      { content: [{ type: "text", text: "never" }], faults: [{ kind: "hang", times: 1_000 }] },
    ]);
    const production = await scriptNamed("fan", [
      text("Production runs Node 20.11 with the cache on."),
    ]);
    const synthesis = await scriptNamed("fan", [
      text(
        "Only production answered. Same: nothing to compare against. Different: production runs Node 20.11; staging did not answer.",
      ),
    ]);
    const { repo } = await shopWithEnvironments(owner, [
      `[script:${staging}] Pre-release deploys of the shop.`,
      `[script:${production}] The live shop.`,
    ]);
    const parent = await scriptNamed("fan", [
      {
        content: [
          {
            type: "tool_use",
            name: "fan_out",
            input: {
              question: `[script:${synthesis}] Which Node version runs, and is the cache on?`,
              spaces: ["staging", "production"],
              timeout_seconds: 5,
            },
          },
        ],
      },
      text("Compared."),
    ]);
    const sessionId = await createSession(owner, { repo });
    await owner.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "c1", text: `[script:${parent}] compare staging and production` },
    });
    await expect
      .poll(
        async () => (await eventsOf(owner, sessionId)).some((e) => e.type === "prompt.finished"),
        { timeout: 25_000, interval: 200 },
      )
      .toBe(true);
    const events = await eventsOf(owner, sessionId);
    const finished = events.find((e) => e.type === "team.fan_out_finished");
    expect(finished?.data).toMatchObject({
      answered: [{ space: "production" }],
      skipped: [{ space: "staging", reason: "did not answer within 5 s and was skipped" }],
      synthesis: expect.stringContaining("Only production answered"),
    });
    const tool = events.find((e) => e.type === "agent.tool_finished" && e.data.name === "fan_out");
    expect(tool?.type === "agent.tool_finished" && tool.data.output).toContain(
      "Skipped: staging did not answer within 5 s",
    );
    // The comparison was written from the question and the answers, not pasted from them.
    const recorded = (await (
      await fetch(`${env.ANTHROPIC_BASE_URL}/_stand-in/requests?script=${synthesis}`)
    ).json()) as { requests: { body: { messages: { content: string }[] } }[] };
    const message = recorded.requests.at(-1)!.body.messages[0]!.content;
    expect(message).toContain("## Answer from production\nProduction runs Node 20.11");
    expect(message).toContain("- staging: did not answer within 5 s");
    // Each space got a session of its own; the one that hung was shut down.
    const team = (
      (await (await owner.api(`/api/sessions/${sessionId}/team`)).json()) as { team: TeamView }
    ).team;
    expect(team.children.map((c) => [c.role, c.state])).toEqual([
      ["staging", "shut_down"],
      ["production", "idle"],
    ]);
  });
});
