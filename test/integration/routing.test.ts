// Routing guides over the API: read and replace an organisation's guide, with clear refusals.
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../protocol/errors.ts";
import { MAX_SPACES, type RoutingGuideResponse, type Space } from "../../protocol/routing.ts";
import { request, signUp, type TestPerson } from "./helpers.ts";

/** A fresh organisation with `names` registered as its repositories. */
async function orgWith(person: TestPerson, ...names: string[]): Promise<string> {
  const org = `acme-${crypto.randomUUID().slice(0, 8)}`;
  for (const name of names) {
    const response = await person.api("/api/repositories", {
      body: { repo: `${org}/${name}`, warmPoolSize: 0 },
    });
    expect(response.status).toBe(201);
  }
  return org;
}

function spacesOf(org: string): Space[] {
  return [
    {
      name: "staging",
      kind: "environment",
      repo: `${org}/shop`,
      environment: "staging",
      purpose: "Pre-release deploys of the shop.",
      coverage: ["deploys", "feature flags"],
    },
    {
      name: "production",
      kind: "environment",
      repo: `${org}/shop`,
      environment: "production",
      purpose: "Live traffic: incidents and rollbacks.",
      coverage: ["incidents"],
    },
    {
      name: "runbooks",
      kind: "repository",
      repo: `${org}/runbooks`,
      environment: null,
      purpose: "How we operate the shop.",
      coverage: [],
    },
  ];
}

const put = (person: TestPerson, org: string, body: unknown) =>
  person.api(`/api/orgs/${org}/routing`, { method: "PUT", body });

async function errorOf(response: Response, status: number): Promise<ErrorBody["error"]> {
  expect(response.status).toBe(status);
  return ((await response.json()) as ErrorBody).error;
}

describe("/api/orgs/:org/routing", () => {
  it("answers an empty guide before one is stored, then the guide as it was put", async () => {
    const alice = await signUp();
    const org = await orgWith(alice, "shop", "runbooks");
    const empty = await alice.api(`/api/orgs/${org}/routing`);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({
      guide: { org, spaces: [], source: "api", updatedAt: null },
    });

    const stored = await put(alice, org, { spaces: spacesOf(org) });
    expect(stored.status).toBe(200);
    const { guide } = (await stored.json()) as RoutingGuideResponse;
    expect(guide).toMatchObject({ org, spaces: spacesOf(org), source: "api" });
    expect(guide.updatedAt).toBeGreaterThan(0);

    const read = (await (
      await alice.api(`/api/orgs/${org}/routing`)
    ).json()) as RoutingGuideResponse;
    expect(read.guide).toEqual(guide);

    // A second put replaces the whole guide.
    const [, , runbooks] = spacesOf(org);
    await put(alice, org, { spaces: [runbooks] });
    const replaced = (await (
      await alice.api(`/api/orgs/${org}/routing`)
    ).json()) as RoutingGuideResponse;
    expect(replaced.guide.spaces).toEqual([runbooks]);
  });

  it("stores a guide of the most spaces allowed, in the order it was written", async () => {
    const alice = await signUp();
    const org = await orgWith(alice, "runbooks");
    const [, , runbooks] = spacesOf(org);
    const spaces = Array.from({ length: MAX_SPACES }, (_, i) => ({
      ...runbooks!,
      name: `space-${MAX_SPACES - i}`,
    }));
    expect((await put(alice, org, { spaces })).status).toBe(200);
    const read = (await (
      await alice.api(`/api/orgs/${org}/routing`)
    ).json()) as RoutingGuideResponse;
    expect(read.guide.spaces.map((s) => s.name)).toEqual(spaces.map((s) => s.name));
    const tooMany = await put(alice, org, { spaces: [...spaces, { ...runbooks!, name: "extra" }] });
    expect((await errorOf(tooMany, 400)).message).toContain(`at most ${MAX_SPACES} spaces`);
  });

  it("refuses invalid guides, naming what is wrong", async () => {
    const alice = await signUp();
    const org = await orgWith(alice, "shop", "runbooks");
    const [staging, production, runbooks] = spacesOf(org);

    const badSlug = await errorOf(
      await put(alice, org, { spaces: [{ ...runbooks, name: "Run Books" }] }),
      400,
    );
    expect(badSlug).toMatchObject({
      code: "invalid_input",
      message: /spaces\.0\.name.*lower-case letter/,
    });

    const noEnvironment = await errorOf(
      await put(alice, org, { spaces: [{ ...staging, environment: null }] }),
      400,
    );
    expect(noEnvironment.message).toContain(
      "the environment space `staging` names its environment",
    );

    const unknown = await errorOf(
      await put(alice, org, { spaces: [{ ...runbooks, repo: `${org}/billing` }] }),
      400,
    );
    expect(unknown.message).toBe(
      `The space \`runbooks\` names ${org}/billing, which is not a registered repository you can reach; register it first.`,
    );

    const twice = await errorOf(
      await put(alice, org, { spaces: [production, { ...staging, name: "production" }] }),
      400,
    );
    expect(twice.message).toContain("the space name `production` is used more than once");

    const notJson = await errorOf(await put(alice, org, "{"), 400);
    expect(notJson.message).toBe("The request body must be JSON.");

    const badOrg = await errorOf(await alice.api("/api/orgs/-nope/routing"), 400);
    expect(badOrg.message).toMatch(/Invalid organisation/);

    // Nothing was stored by any refused put.
    const read = (await (
      await alice.api(`/api/orgs/${org}/routing`)
    ).json()) as RoutingGuideResponse;
    expect(read.guide.spaces).toEqual([]);
  });

  it("answers not_found for an organisation none of whose repositories the person reaches", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const org = await orgWith(alice, "shop");
    const elsewhere = `other-${crypto.randomUUID().slice(0, 8)}`;
    for (const response of [
      await bob.api(`/api/orgs/${elsewhere}/routing`),
      await put(bob, elsewhere, { spaces: [] }),
    ]) {
      const error = await errorOf(response, 404);
      expect(error).toEqual({
        code: "not_found",
        message: expect.stringContaining(`No organisation ${elsewhere} that you can reach`),
      });
    }
    // Without GitHub configured, every registered repository is reachable by everyone signed in.
    expect((await bob.api(`/api/orgs/${org}/routing`)).status).toBe(200);
  });

  it("requires a signed-in person", async () => {
    expect((await request("/api/orgs/acme/routing")).status).toBe(401);
    const response = await request("/api/orgs/acme/routing", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ spaces: [] }),
    });
    expect(await errorOf(response, 401)).toMatchObject({ code: "unauthenticated" });
  });
});
