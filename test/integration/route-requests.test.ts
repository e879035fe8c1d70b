// Requests sent to an organisation: routed by the classifier to the space that owns them (and
// announced in the session's timeline), the person asked once when it is unclear, fanned out when
// they span spaces; and discovery proposing a guide from each repository's own summary.
import { describe, expect, it } from "vitest";
import type { SessionView } from "../../protocol/api.ts";
import type { RoutingGuideResponse } from "../../protocol/routing.ts";
import { eventsOf, scriptMarker, text } from "./scripted.ts";
import { signUp, type TestPerson } from "./helpers.ts";

async function orgWithGuide(person: TestPerson, purposes: Record<string, string> = {}) {
  const org = `acme-${crypto.randomUUID().slice(0, 8)}`;
  for (const name of ["api", "shop"]) {
    await person.api("/api/repositories", { body: { repo: `${org}/${name}`, warmPoolSize: 0 } });
  }
  const space = (name: string, repo: string, environment: string | null, purpose: string) => ({
    name,
    kind: environment ? "environment" : "repository",
    repo: `${org}/${repo}`,
    environment,
    purpose: purposes[name] ?? purpose,
    coverage: [],
  });
  const put = await person.api(`/api/orgs/${org}/routing`, {
    method: "PUT",
    body: {
      spaces: [
        space("api", "api", null, "The public HTTP API."),
        space("staging", "shop", "staging", "Pre-release shop."),
        space("production", "shop", "production", "The live shop."),
      ],
    },
  });
  expect(put.status).toBe(200);
  return org;
}

const ask = (person: TestPerson, body: Record<string, unknown>) =>
  person.api("/api/requests", { body: { clientId: crypto.randomUUID(), ...body } });

describe("routing requests", () => {
  it("opens a session in the space the classifier picks, and says so in its timeline", async () => {
    const owner = await signUp();
    const org = await orgWithGuide(owner);
    const marker = await scriptMarker("route", [
      text('{"route":"space","space":"api","reason":"The API owns rate limits."}'),
    ]);
    const response = await ask(owner, { org, text: `${marker} Raise the API rate limit` });
    expect(response.status).toBe(201);
    const { route, session } = (await response.json()) as {
      route: { kind: string };
      session: SessionView;
    };
    expect(route).toMatchObject({ kind: "space", space: "api" });
    expect(session.repo).toBe(`${org}/api`);
    const routed = (await eventsOf(owner, session.id)).find((e) => e.type === "session.routed");
    expect(routed?.data).toEqual({
      space: "api",
      reason: "The API owns rate limits.",
      by: "classifier",
    });
    // Routing is charged to the session it opened, and counts in the session's cost.
    const charged = (await eventsOf(owner, session.id)).find((e) => e.type === "agent.fast_usage");
    expect(charged?.type === "agent.fast_usage" && charged.data).toMatchObject({
      purpose: "routing",
      model: "claude-haiku-4-5",
    });
    const call = charged?.type === "agent.fast_usage" ? charged.data.call : null;
    expect(call?.inputTokens).toBeGreaterThan(0);
    expect(call?.costUsd).toBeGreaterThan(0);
    const read = await owner.api(`/api/sessions/${session.id}`);
    const view = ((await read.json()) as { session: SessionView }).session;
    expect(view.usage.costUsd).toBeGreaterThanOrEqual(call!.costUsd);
  });

  it("asks the person once when the space is unclear, then opens the session they chose", async () => {
    const owner = await signUp();
    const org = await orgWithGuide(owner);
    const marker = await scriptMarker("route", [
      text(
        'Not sure. {"route":"unknown","question":"Staging or production?","candidates":["staging","production"]}',
      ),
    ]);
    const first = await ask(owner, { org, text: `${marker} Turn the cache off` });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      route: {
        kind: "unknown",
        question: "Staging or production?",
        candidates: ["staging", "production"],
      },
    });
    const chosen = await ask(owner, { org, text: "Turn the cache off", space: "staging" });
    expect(chosen.status).toBe(201);
    const { session } = (await chosen.json()) as { session: SessionView };
    expect(session.repo).toBe(`${org}/shop`);
    const events = await eventsOf(owner, session.id);
    expect(events.find((e) => e.type === "session.routed")?.data).toMatchObject({
      space: "staging",
      by: "person",
    });
    const prompt = events.find((e) => e.type === "prompt.queued");
    expect(prompt?.type === "prompt.queued" && prompt.data.prompt.text).toContain(
      "staging environment",
    );
  });

  it("fans a request that spans spaces out, one child session per space", async () => {
    const owner = await signUp();
    const staging = await scriptMarker("route", [text("Staging: Node 22.")]);
    const production = await scriptMarker("route", [text("Production: Node 20.")]);
    const org = await orgWithGuide(owner, {
      staging: `${staging} Pre-release shop.`,
      production: `${production} The live shop.`,
    });
    // One script answers both the routing and the comparison (both read the request first).
    const marker = await scriptMarker("route", [
      text(
        '{"route":"fan_out","spaces":["staging","production"],"skipped":[{"space":"api","reason":"Not about the shop."}],"reason":"Compares two environments."}',
      ),
    ]);
    const response = await ask(owner, {
      org,
      text: `${marker} Compare the Node versions of staging and production`,
    });
    expect(response.status).toBe(201);
    const { session } = (await response.json()) as { session: SessionView };
    await expect
      .poll(
        async () =>
          (await eventsOf(owner, session.id)).some((e) => e.type === "team.fan_out_finished"),
        { timeout: 20_000, interval: 200 },
      )
      .toBe(true);
    const events = await eventsOf(owner, session.id);
    expect(events.find((e) => e.type === "team.fan_out_started")?.data).toMatchObject({
      spaces: ["staging", "production"],
    });
    expect(events.find((e) => e.type === "team.fan_out_finished")?.data).toMatchObject({
      answered: [{ space: "staging" }, { space: "production" }],
    });
    expect(events.filter((e) => e.type === "team.child_spawned")).toHaveLength(2);
    // Both fast-model calls are the parent session's: routing the request, comparing the answers.
    const charged = events.flatMap((e) => (e.type === "agent.fast_usage" ? [e.data] : []));
    expect(charged.map((c) => c.purpose)).toEqual(["routing", "synthesis"]);
    const last = charged[1]!;
    expect(last.session.costUsd).toBeCloseTo(charged[0]!.call.costUsd + last.call.costUsd, 10);
  });

  it("proposes a guide from each repository's own summary", async () => {
    const owner = await signUp();
    const org = `acme-${crypto.randomUUID().slice(0, 8)}`;
    await owner.api("/api/repositories", { body: { repo: `${org}/shop`, warmPoolSize: 0 } });
    const response = await owner.api(`/api/orgs/${org}/routing/discover`, { body: {} });
    expect(response.status).toBe(202);
    const { session } = (await response.json()) as { session: SessionView };
    await expect
      .poll(
        async () => (await eventsOf(owner, session.id)).some((e) => e.type === "routing.proposed"),
        { timeout: 20_000, interval: 200 },
      )
      .toBe(true);
    const proposed = (await eventsOf(owner, session.id)).find((e) => e.type === "routing.proposed");
    expect(proposed?.data).toMatchObject({ org });
    const guide = (await (
      await owner.api(`/api/orgs/${org}/routing`)
    ).json()) as RoutingGuideResponse;
    expect(["proposed", "api"]).toContain(guide.guide.source);
  });
});
