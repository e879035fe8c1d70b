import { describe, expect, it } from "vitest";
import { filterRepositories, unlistedRepository } from "./repo-search.ts";

const repos = ["acme/widgets", "acme/web", "demo/stats", "webco/api", "zeta/acme-tools"].map(
  (repo) => ({ repo }),
);
const names = (list: { repo: string }[]) => list.map((r) => r.repo);

describe("filterRepositories", () => {
  it("lists every repository by name when the search is empty", () => {
    expect(names(filterRepositories([...repos].reverse(), "  "))).toEqual([
      "acme/web",
      "acme/widgets",
      "demo/stats",
      "webco/api",
      "zeta/acme-tools",
    ]);
  });

  it("matches in either case anywhere in owner/name", () => {
    expect(names(filterRepositories(repos, "STAT"))).toEqual(["demo/stats"]);
  });

  it("puts names that start with the search before owners that do, then the rest", () => {
    expect(names(filterRepositories(repos, "web"))).toEqual(["acme/web", "webco/api"]);
    expect(names(filterRepositories(repos, "acme"))).toEqual([
      "zeta/acme-tools",
      "acme/web",
      "acme/widgets",
    ]);
  });

  it("puts an exact match first", () => {
    expect(names(filterRepositories(repos, "acme/web"))[0]).toBe("acme/web");
  });

  it("needs every word of the search", () => {
    expect(names(filterRepositories(repos, "acme wid"))).toEqual(["acme/widgets"]);
    expect(filterRepositories(repos, "acme nothing")).toEqual([]);
  });
});

describe("unlistedRepository", () => {
  it("offers a well-formed owner/name that is not registered", () => {
    expect(unlistedRepository(repos, " someone/thing ")).toBe("someone/thing");
  });

  it("offers nothing for a registered repository, in any case, or for a partial name", () => {
    expect(unlistedRepository(repos, "ACME/Web")).toBeNull();
    expect(unlistedRepository(repos, "acme")).toBeNull();
    expect(unlistedRepository(repos, "acme/we b")).toBeNull();
  });
});
