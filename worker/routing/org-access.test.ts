import { describe, expect, it } from "vitest";
import type { Space } from "../../protocol/routing.ts";
import { withReachableRepositories } from "./org-access.ts";

const space = (name: string, repo: string): Space => ({
  name,
  kind: "repository",
  repo,
  environment: null,
  purpose: "Work.",
  coverage: [],
});

describe("withReachableRepositories", () => {
  it("spells each repository as registered, whatever its case in the guide", () => {
    expect(
      withReachableRepositories("acme", [space("web", "ACME/Web")], ["Acme/web"]).map(
        (s) => s.repo,
      ),
    ).toEqual(["Acme/web"]);
  });

  it("names the space and repository that is not registered or not reachable", () => {
    expect(() =>
      withReachableRepositories(
        "acme",
        [space("web", "acme/web"), space("api", "acme/api")],
        ["acme/web"],
      ),
    ).toThrow("The space `api` names acme/api, which is not a registered repository you can reach");
  });

  it("refuses a repository of another organisation", () => {
    expect(() => withReachableRepositories("acme", [space("x", "other/x")], ["other/x"])).toThrow(
      "not in the organisation acme",
    );
  });
});
