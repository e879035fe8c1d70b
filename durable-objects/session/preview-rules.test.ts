import { describe, expect, it } from "vitest";
import { MAX_PREVIEWS } from "../../protocol/previews.ts";
import {
  countsAsActivity,
  mayOpen,
  mayPublish,
  PREVIEW_ACTIVITY_EVERY_MS,
  servingSandbox,
} from "./preview-rules.ts";

describe("preview rules", () => {
  it("lets every participant open a published port, viewers included", () => {
    for (const role of ["owner", "collaborator", "viewer"] as const)
      expect(mayOpen(role, 3000, true)).toEqual({ ok: true, value: null });
  });

  it("answers outsiders as if the session did not exist, and names an unpublished port", () => {
    expect(mayOpen(null, 3000, true)).toMatchObject({
      ok: false,
      error: { code: "not_found", message: "Session not found." },
    });
    const unpublished = mayOpen("owner", 4000, false);
    expect(unpublished).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(!unpublished.ok && unpublished.error.message).toContain("Port 4000");
  });

  it("serves from a running sandbox only, and says why not otherwise", () => {
    expect(servingSandbox({ sandboxId: "sbx_1", status: "running" })).toEqual({
      ok: true,
      value: { sandboxId: "sbx_1" },
    });
    for (const status of ["starting", "lost", null] as const) {
      const answer = servingSandbox({ sandboxId: status ? "sbx_1" : null, status });
      expect(answer).toMatchObject({ ok: false, error: { code: "sandbox_not_running" } });
    }
    expect(servingSandbox({ sandboxId: null, status: null })).toMatchObject({
      error: { message: expect.stringContaining("sleeps after 10 minutes") },
    });
  });

  it("caps the ports published at once, while re-publishing one stays allowed", () => {
    expect(mayPublish(MAX_PREVIEWS - 1, true).ok).toBe(true);
    expect(mayPublish(MAX_PREVIEWS, true)).toMatchObject({ error: { code: "limit_reached" } });
    expect(mayPublish(MAX_PREVIEWS, false).ok).toBe(true);
  });

  it("counts a preview's use as activity at most once a minute", () => {
    expect(countsAsActivity(0, PREVIEW_ACTIVITY_EVERY_MS)).toBe(true);
    expect(countsAsActivity(1_000, 1_000 + PREVIEW_ACTIVITY_EVERY_MS - 1)).toBe(false);
  });
});
