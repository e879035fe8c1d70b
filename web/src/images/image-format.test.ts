import { describe, expect, it } from "vitest";
import type { ImageInfo } from "../api/repositories.ts";
import {
  buildDurationMs,
  formatAge,
  formatBuildTime,
  formatBytes,
  shortSha,
} from "./image-format.ts";

const image = (over: Partial<ImageInfo>): ImageInfo => ({
  id: "img_1",
  repo: "acme/web",
  commit: "9f1c2e3d4b5a69788766554433221100ffeeddcc",
  status: "ready",
  reason: "cron",
  error: null,
  sizeBytes: 48_213,
  createdAt: 1_000_000,
  finishedAt: 1_004_200,
  ...over,
});

describe("image text", () => {
  it("shortens a commit to 7 characters", () => {
    expect(shortSha("9f1c2e3d4b5a")).toBe("9f1c2e3");
  });

  it("writes sizes in decimal units with at most one decimal", () => {
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(48_213)).toBe("48.2 KB");
    expect(formatBytes(1_000_000)).toBe("1 MB");
    expect(formatBytes(312_400_000)).toBe("312 MB");
    expect(formatBytes(2_100_000_000)).toBe("2.1 GB");
  });
});

describe("formatAge", () => {
  const now = 10_000_000_000;
  it("counts seconds, minutes, hours, days, then weeks", () => {
    expect(formatAge(now - 40_000, now)).toBe("40 s");
    expect(formatAge(now - 12 * 60_000, now)).toBe("12 min");
    expect(formatAge(now - 3 * 3_600_000, now)).toBe("3 h");
    expect(formatAge(now - 5 * 86_400_000, now)).toBe("5 d");
    expect(formatAge(now - 50 * 86_400_000, now)).toBe("7 wk");
  });

  it("shows a moment a skewed clock puts in the future as 0 s", () => {
    expect(formatAge(now + 5_000, now)).toBe("0 s");
  });
});

describe("build time", () => {
  it("is the time from start to finish", () => {
    expect(buildDurationMs(image({}), 2_000_000)).toBe(4_200);
    expect(formatBuildTime(image({}), 2_000_000)).toBe("4.2 s");
  });

  it("runs on while the build does, and is unknown for a build that never finished", () => {
    expect(buildDurationMs(image({ status: "building", finishedAt: null }), 1_065_000)).toBe(
      65_000,
    );
    expect(buildDurationMs(image({ status: "failed", finishedAt: null }), 1_065_000)).toBeNull();
    expect(formatBuildTime(image({ status: "failed", finishedAt: null }), 1_065_000)).toBe("–");
  });
});
