// Usage over time as bars in an inline SVG, with its values in a table for screen readers.
import { useId } from "react";
import type { UsageDay } from "../api/stats.ts";
import { formatCost, formatTokens } from "../ui/format.ts";
import { axisFor, barsFor, percentOf } from "./chart-scale.ts";
import { dayLabel, type UsageMetric } from "./usage-metric.ts";

/** The plot's own units; it stretches to the width of its box. */
const PLOT = { width: 1000, height: 300 };

/** Props of UsageChart. */
export interface UsageChartProps {
  usage: readonly UsageDay[];
  metric: UsageMetric;
}

/** A bar per day of the measure, gridlines with their values, and the first, middle and last day. */
export function UsageChart({ usage, metric }: UsageChartProps) {
  const titleId = useId();
  const values = usage.map((day) => metric.value(day));
  const axis = axisFor(Math.max(0, ...values), { integer: metric.integer });
  const bars = barsFor(values, axis, PLOT);
  const labelled = usage.length > 2 ? [0, Math.floor(usage.length / 2), usage.length - 1] : [];
  return (
    <figure className="usage-chart">
      <div className="usage-chart-area">
        <div className="usage-chart-y" aria-hidden="true">
          {axis.ticks.map((tick) => (
            <span key={tick} style={{ bottom: `${percentOf(tick, axis)}%` }}>
              {metric.tick(tick, axis.step)}
            </span>
          ))}
        </div>
        <svg
          className="usage-chart-plot"
          viewBox={`0 0 ${PLOT.width} ${PLOT.height}`}
          preserveAspectRatio="none"
          role="img"
          aria-labelledby={titleId}
        >
          <title id={titleId}>{summary(usage, values, metric)}</title>
          {axis.ticks.map((tick) => {
            const y = PLOT.height - (percentOf(tick, axis) / 100) * PLOT.height;
            return (
              <line
                key={tick}
                className="usage-chart-grid"
                x1={0}
                x2={PLOT.width}
                y1={y}
                y2={y}
                vectorEffect="non-scaling-stroke"
              />
            );
          })}
          {bars.map((bar, i) => (
            <rect key={usage[i]!.day} className="usage-chart-bar" {...bar}>
              <title>{`${dayLabel(usage[i]!.day)}: ${metric.format(values[i]!)}`}</title>
            </rect>
          ))}
        </svg>
      </div>
      <div className="usage-chart-x" aria-hidden="true">
        {labelled.map((i) => (
          <span key={i}>{dayLabel(usage[i]!.day)}</span>
        ))}
      </div>
      {/* A table is as wide as its content whatever its width says, so a box hides it. */}
      <div className="visually-hidden">
        <table>
          <caption>Usage per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Prompts</th>
              <th scope="col">Cost</th>
              <th scope="col">Input tokens</th>
              <th scope="col">Output tokens</th>
            </tr>
          </thead>
          <tbody>
            {usage.map((day) => (
              <tr key={day.day}>
                <th scope="row">{dayLabel(day.day)}</th>
                <td>{day.prompts}</td>
                <td>{formatCost(day.costUsd)}</td>
                <td>{formatTokens(day.inputTokens)}</td>
                <td>{formatTokens(day.outputTokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** One sentence that says what the chart shows: its measure, its days, the total and the peak. */
function summary(usage: readonly UsageDay[], values: number[], metric: UsageMetric): string {
  const what = `Bar chart of ${metric.perDay} over the last ${usage.length} days`;
  const total = values.reduce((sum, value) => sum + value, 0);
  if (total === 0) return `${what}: nothing yet.`;
  const peak = values.indexOf(Math.max(...values));
  return `${what}: ${metric.format(total)} in total, most on ${dayLabel(usage[peak]!.day)} (${metric.format(values[peak]!)}).`;
}
