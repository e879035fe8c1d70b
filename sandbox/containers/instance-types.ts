// Sandbox limits as Cloudflare Containers instance types: the container's VM is the limit.
import type { InstanceType } from "../../protocol/sandbox-container.ts";
import type { Limits } from "../../protocol/sandbox-host.ts";

/** The named instance types, smallest first, with what each gives. */
export const INSTANCE_TYPES: ReadonlyArray<{
  name: InstanceType;
  cpuMillis: number;
  memoryMiB: number;
}> = [
  { name: "lite", cpuMillis: 62, memoryMiB: 256 },
  { name: "basic", cpuMillis: 250, memoryMiB: 1_024 },
  { name: "standard-1", cpuMillis: 500, memoryMiB: 4_096 },
  { name: "standard-2", cpuMillis: 1_000, memoryMiB: 6_144 },
  { name: "standard-3", cpuMillis: 2_000, memoryMiB: 8_192 },
  { name: "standard-4", cpuMillis: 4_000, memoryMiB: 12_288 },
];

/** The smallest instance type that covers the limits; the largest when none does. */
export function instanceFor(limits: Pick<Limits, "cpuMillis" | "memoryMiB">): InstanceType {
  const fits = INSTANCE_TYPES.find(
    (type) => type.cpuMillis >= limits.cpuMillis && type.memoryMiB >= limits.memoryMiB,
  );
  return (fits ?? INSTANCE_TYPES[INSTANCE_TYPES.length - 1]!).name;
}
