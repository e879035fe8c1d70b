// The checks against GitHub's published description, on hand-made requests, responses and
// webhook payloads.
import { beforeAll, describe, expect, it } from "vitest";
import { loadDescription, type Description } from "./validator.ts";

let description: Description;
beforeAll(async () => {
  description = await loadDescription();
});

const noQuery = new URLSearchParams();

describe("operations", () => {
  it("matches request paths, a multi-segment parameter included", () => {
    const ref = description.operation("GET", "/repos/{owner}/{repo}/git/ref/{ref}");
    expect(ref.operationId).toBe("git/get-ref");
    expect(ref.pattern.exec("/repos/demo/stats/git/ref/heads/feature/x")?.slice(1)).toEqual([
      "demo",
      "stats",
      "heads/feature/x",
    ]);
    expect(
      description.operation("GET", "/repos/{owner}/{repo}").pattern.test("/repos/demo/stats/pulls"),
    ).toBe(false);
    expect(() => description.operation("GET", "/no/such/path")).toThrow(/no GET/);
  });

  it("names GitHub's operation behind any path", () => {
    expect(description.identify("POST", "/repos/demo/stats/issues")).toBe("issues/create");
    expect(description.identify("GET", "/user/installations")).toBe(
      "apps/list-installations-for-authenticated-user",
    );
    expect(description.identify("GET", "/not/github")).toBeNull();
  });
});

describe("requests", () => {
  const create = () => description.operation("POST", "/repos/{owner}/{repo}/pulls");

  it("accepts a body the description allows", () => {
    expect(
      description.checkRequest(create(), {
        params: { owner: "o", repo: "r" },
        query: noQuery,
        body: { head: "h", base: "main", title: "t" },
      }),
    ).toEqual([]);
  });

  it("names wrong types, missing bodies, unknown fields and unknown query parameters", () => {
    const problems = description.checkRequest(create(), {
      params: { owner: "o", repo: "r" },
      query: new URLSearchParams("expand=1"),
      body: { head: 7, base: "main", titel: "t" },
    });
    expect(problems).toEqual([
      'query parameter "expand" is not in the description',
      "request body: /head must be string",
      'request body field "titel" is not in the description',
    ]);
    expect(
      description.checkRequest(create(), {
        params: { owner: "o", repo: "r" },
        query: noQuery,
        body: undefined,
      }),
    ).toEqual(["the request body is required"]);
  });

  it("checks query parameters with their types", () => {
    const list = description.operation("GET", "/repos/{owner}/{repo}/pulls");
    const problems = description.checkRequest(list, {
      params: { owner: "o", repo: "r" },
      query: new URLSearchParams("state=merged&per_page=x"),
      body: undefined,
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('"state"');
  });
});

describe("responses", () => {
  const getRef = () => description.operation("GET", "/repos/{owner}/{repo}/git/ref/{ref}");
  const ref = {
    ref: "refs/heads/main",
    node_id: "n",
    url: "http://127.0.0.1/x",
    object: { type: "commit", sha: "a".repeat(40), url: "http://127.0.0.1/y" },
  };

  it("accepts a body that matches the documented status", () => {
    expect(description.checkResponse(getRef(), 200, ref)).toEqual([]);
  });

  it("names a missing field and a malformed URL", () => {
    const { node_id: _dropped, ...withoutNodeId } = ref;
    expect(description.checkResponse(getRef(), 200, withoutNodeId)).toEqual([
      "status 200 body: (root) must have required property 'node_id'",
    ]);
    expect(description.checkResponse(getRef(), 200, { ...ref, url: "not a url" })[0]).toContain(
      '/url must match format "uri"',
    );
  });

  it("refuses an undocumented success status and checks undocumented errors as basic errors", () => {
    expect(description.checkResponse(getRef(), 201, ref)).toEqual([
      "status 201 is not documented for git/get-ref",
    ]);
    expect(
      description.checkResponse(getRef(), 401, {
        message: "Bad credentials",
        documentation_url: "x",
      }),
    ).toEqual([]);
    expect(description.checkResponse(getRef(), 401, { message: 401 })).toHaveLength(1);
  });
});

describe("webhooks", () => {
  it("checks a payload against the description's webhook for event and action", () => {
    expect(description.checkWebhook("push", undefined, { ref: "refs/heads/main" })[0]).toContain(
      "must have required property 'before'",
    );
    expect(description.checkWebhook("pull_request", "teleported", {})).toEqual([
      'the description has no webhook "pull-request-teleported"',
    ]);
  });
});
