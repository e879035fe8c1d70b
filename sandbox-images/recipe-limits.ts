// The recipe's resource limits for session sandboxes: memory as a size, CPUs as cores, a process count.
import { z } from "zod";
import { got, strictFields } from "./recipe-messages.ts";

/** Bounds of each limit; the sandbox host accepts exactly these. */
export const LIMIT_BOUNDS = {
  memoryMiB: { min: 32, max: 64 * 1024 },
  cpus: { min: 0.1, max: 64 },
  pids: { min: 16, max: 65_536 },
} as const;

/** Limits when the recipe gives none: memory in MiB, CPUs in cores. */
export const DEFAULT_LIMITS = { memory: 2_048, cpus: 2, pids: 1_024 } as const;

const SIZE = /^(\d+(?:\.\d+)?)\s*(MiB|GiB|Mi|Gi)$/i;
const AMBIGUOUS_SIZE = /^(\d+(?:\.\d+)?)\s*([MG])B?$/i;
const MIB_PER_UNIT = { m: 1, g: 1_024 } as const;

/** Memory as a number of MiB or a size string (`"512MiB"`, `"2GiB"`, `"1.5GiB"`), read as MiB. */
export const MemorySchema = z
  .union([z.number(), z.string()], {
    error: (issue) =>
      `must be a size like "512MiB" or "2GiB", or a number of MiB${got(issue.input)}`,
  })
  .transform((value, ctx) => {
    const mib = toMiB(value);
    const { min, max } = LIMIT_BOUNDS.memoryMiB;
    const problem =
      typeof mib === "string"
        ? mib
        : mib < min || mib > max
          ? `must be between ${min}MiB and ${max / 1_024}GiB`
          : null;
    if (problem === null && typeof mib === "number") return mib;
    ctx.issues.push({ code: "custom", message: `${problem}${got(value)}`, input: value });
    return z.NEVER;
  });

/** MiB, or what is wrong with the size. */
function toMiB(value: number | string): number | string {
  if (typeof value === "number")
    return Number.isInteger(value)
      ? value
      : `must be a whole number of MiB, or a size like "1.5GiB"`;
  const text = value.trim();
  const size = SIZE.exec(text);
  if (size) {
    const unit = size[2]!.charAt(0).toLowerCase() as keyof typeof MIB_PER_UNIT;
    return Math.round(Number(size[1]) * MIB_PER_UNIT[unit]);
  }
  const ambiguous = AMBIGUOUS_SIZE.exec(text);
  if (ambiguous)
    return `must name a binary unit: write "${ambiguous[1]}${ambiguous[2]!.toUpperCase()}iB"`;
  return `must be a size like "512MiB" or "2GiB", or a number of MiB`;
}

const { cpus, pids } = LIMIT_BOUNDS;

/** `{ memory, cpus, pids }`, each defaulted; read with memory in MiB. */
export const LimitsSchema = strictFields(
  {
    memory: MemorySchema.default(DEFAULT_LIMITS.memory),
    cpus: z
      .number({
        error: (issue) => `must be a number of CPU cores, like 2 or 0.5${got(issue.input)}`,
      })
      .min(cpus.min, { error: (issue) => `must be at least ${cpus.min}${got(issue.input)}` })
      .max(cpus.max, { error: (issue) => `must be at most ${cpus.max}${got(issue.input)}` })
      .default(DEFAULT_LIMITS.cpus),
    pids: z
      .number({ error: (issue) => `must be a whole number of processes${got(issue.input)}` })
      .int({ error: (issue) => `must be a whole number of processes${got(issue.input)}` })
      .min(pids.min, { error: (issue) => `must be at least ${pids.min}${got(issue.input)}` })
      .max(pids.max, { error: (issue) => `must be at most ${pids.max}${got(issue.input)}` })
      .default(DEFAULT_LIMITS.pids),
  },
  "limits",
).prefault({});
