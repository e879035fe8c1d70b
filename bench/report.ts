// Benchmark results: the metric shape, the machine description, the printed table and latest.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname } from "node:path";

/** One measured number; `target.max` is the value it should not exceed. */
export interface Metric {
  name: string;
  unit: string;
  value: number;
  n: number;
  target?: { max: number };
}

/** The machine a run happened on. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  platform: string;
}

/** The contents of bench/results/latest.json. */
export interface BenchResults {
  generatedAt: string;
  machine: Machine;
  metrics: Metric[];
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Describes this machine. */
export function machineInfo(): Machine {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    memGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: process.platform,
  };
}

/** Whether a metric meets its target; null when it has none. */
export function meetsTarget(metric: Metric): boolean | null {
  return metric.target ? metric.value <= metric.target.max : null;
}

/** Renders metrics as an aligned text table. */
export function formatTable(metrics: readonly Metric[]): string {
  const header = ["name", "unit", "value", "n", "target", "ok"];
  const rows = metrics.map((metric) => {
    const ok = meetsTarget(metric);
    return [
      metric.name,
      metric.unit,
      metric.value.toFixed(2),
      String(metric.n),
      metric.target ? `<= ${metric.target.max}` : "-",
      ok === null ? "-" : ok ? "yes" : "NO",
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

/** Writes the results as pretty JSON, creating the folder if needed; values keep two decimals. */
export function writeResults(path: string, metrics: readonly Metric[]): BenchResults {
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    metrics: metrics.map((metric) => ({ ...metric, value: round(metric.value, 2) })),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
