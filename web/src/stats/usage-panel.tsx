// Usage over time: the chart with a choice of what it measures, and the window's totals.
import { useState } from "react";
import type { UsageDay } from "../api/stats.ts";
import { ChoiceGroup } from "./choice-group.tsx";
import { UsageChart } from "./usage-chart.tsx";
import { USAGE_METRICS, type UsageMetric } from "./usage-metric.ts";

/** The usage section of the stats page. */
export function UsagePanel({ usage }: { usage: readonly UsageDay[] }) {
  const [metricId, setMetricId] = useState(USAGE_METRICS[0]!.id);
  const metric = USAGE_METRICS.find((m) => m.id === metricId) ?? USAGE_METRICS[0]!;
  const total = usage.reduce((sum, day) => sum + metric.value(day), 0);
  return (
    <section className="card stats-card stats-usage" aria-labelledby="stats-usage-title">
      <div className="stats-usage-head">
        <h2 id="stats-usage-title" className="stats-card-title">
          Usage over time
        </h2>
        <ChoiceGroup<UsageMetric["id"]>
          label="Measure"
          options={USAGE_METRICS.map((m) => ({ value: m.id, label: m.label }))}
          value={metric.id}
          onChange={setMetricId}
        />
      </div>
      <p className="muted">
        {metric.total(total)} in the last {usage.length} days
      </p>
      <UsageChart usage={usage} metric={metric} />
    </section>
  );
}
