import { describe, expect, it } from "vitest";
import type { RepositoryDetail } from "../api/repositories.ts";
import { imageStateOf, warmLabel } from "./image-state.ts";

const detail = (over: Partial<RepositoryDetail> = {}): RepositoryDetail => ({
  repository: {
    repo: "acme/web",
    cloneUrl: "https://github.com/acme/web.git",
    defaultBranch: "main",
    warmPoolSize: 2,
    headCommit: "abcdef0123",
    checkedAt: 1,
    createdAt: 1,
  },
  currentImage: null,
  pool: { repo: "acme/web", currentImageId: null, building: null, warm: 0 },
  ...over,
});
const image = {
  id: "img_1",
  repo: "acme/web",
  commit: "1234567890",
  status: "ready" as const,
  reason: "cron" as const,
  error: null,
  sizeBytes: 1,
  createdAt: 1,
  finishedAt: 2,
};

describe("imageStateOf", () => {
  it("says when the state is still loading or could not be read", () => {
    expect(imageStateOf(undefined).tone).toBe("unknown");
    expect(imageStateOf(null).label).toBe("image state unknown");
  });

  it("says there is no image before the first build", () => {
    expect(imageStateOf(detail())).toEqual({ tone: "none", label: "no image yet" });
  });

  it("names the commit of the ready image", () => {
    expect(imageStateOf(detail({ currentImage: image }))).toEqual({
      tone: "good",
      label: "image ready at 1234567",
    });
  });

  it("says a build runs, and which image is ready meanwhile", () => {
    const building = { imageId: "img_2", commit: "fedcba9876", startedAt: 1 };
    expect(imageStateOf(detail({ pool: { ...detail().pool, building } })).label).toBe(
      "building fedcba9",
    );
    expect(
      imageStateOf(detail({ currentImage: image, pool: { ...detail().pool, building } })).label,
    ).toBe("ready at 1234567, building fedcba9");
  });
});

describe("warmLabel", () => {
  it("counts warm sandboxes against the pool size", () => {
    expect(warmLabel(detail({ pool: { ...detail().pool, warm: 1 } }))).toBe("1 of 2 warm");
  });

  it("says there is no pool when none is kept", () => {
    const none = detail();
    expect(warmLabel({ ...none, repository: { ...none.repository, warmPoolSize: 0 } })).toBe(
      "no warm pool",
    );
  });
});
