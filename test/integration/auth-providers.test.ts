// The sign-in methods the sign-in page may offer.
import { describe, expect, it } from "vitest";
import { request } from "./helpers.ts";

describe("GET /api/auth/providers", () => {
  it("answers without sign-in that tokens work, and GitHub not where it is not configured", async () => {
    const response = await request("/api/auth/providers");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ github: false, local: true });
  });
});
