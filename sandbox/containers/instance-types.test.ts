import { describe, expect, it } from "vitest";
import { instanceFor } from "./instance-types.ts";

describe("instance types for sandbox limits", () => {
  it("picks the smallest type that covers both memory and CPU", () => {
    expect(instanceFor({ memoryMiB: 256, cpuMillis: 50 })).toBe("lite");
    expect(instanceFor({ memoryMiB: 512, cpuMillis: 250 })).toBe("basic");
    expect(instanceFor({ memoryMiB: 512, cpuMillis: 1000 })).toBe("standard-2");
    expect(instanceFor({ memoryMiB: 2048, cpuMillis: 2000 })).toBe("standard-3");
  });

  it("caps limits beyond the largest type at the largest", () => {
    expect(instanceFor({ memoryMiB: 64 * 1024, cpuMillis: 16_000 })).toBe("standard-4");
  });
});
