// The usage chart's geometry as plain numbers: a rounded y axis and one bar per value.

/** A y axis from 0 to `top`, with a gridline every `step`. */
export interface Axis {
  top: number;
  step: number;
  /** 0, step, 2 × step, … top. */
  ticks: number[];
}

/** A bar in plot units; y grows downwards, as in SVG. */
export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Rounds away the binary noise of sums such as 0.1 + 0.2. */
const tidy = (n: number) => Number(n.toPrecision(12));

/** The smallest step of 1, 2 or 5 times a power of ten that is at least `raw` (> 0). */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 5, 10].find((m) => m * power >= raw * (1 - 1e-9)) ?? 10;
  return tidy(multiple * power);
}

/** An axis that fits `max` with about `targetTicks` intervals; `integer` keeps steps whole. */
export function axisFor(
  max: number,
  options: { targetTicks?: number; integer?: boolean } = {},
): Axis {
  const targetTicks = options.targetTicks ?? 4;
  // An empty chart still gets an axis, from 0 to 1.
  const fitted = max > 0 && Number.isFinite(max) ? max : 1;
  let step = niceStep(fitted / targetTicks);
  if (options.integer) step = Math.max(1, Math.round(step));
  const intervals = Math.max(1, Math.ceil(tidy(fitted / step)));
  const ticks = Array.from({ length: intervals + 1 }, (_, i) => tidy(i * step));
  return { top: ticks.at(-1)!, step, ticks };
}

/**
 * One bar per value across a plot of `width` × `height`, each in an equal slot with `gapRatio`
 * of the slot left empty; a value above zero is never drawn thinner than `minHeight`.
 */
export function barsFor(
  values: readonly number[],
  axis: Axis,
  size: { width: number; height: number },
  options: { gapRatio?: number; minHeight?: number } = {},
): Bar[] {
  const gapRatio = options.gapRatio ?? 0.25;
  const minHeight = options.minHeight ?? size.height / 100;
  const slot = values.length > 0 ? size.width / values.length : 0;
  return values.map((value, i) => {
    const scaled = value > 0 ? Math.min(size.height, (value / axis.top) * size.height) : 0;
    const height = value > 0 ? Math.max(minHeight, scaled) : 0;
    return {
      x: i * slot + (slot * gapRatio) / 2,
      y: size.height - height,
      width: slot * (1 - gapRatio),
      height,
    };
  });
}

/** How far up the plot a value sits, as a percentage of its height. */
export function percentOf(value: number, axis: Axis): number {
  return tidy((value / axis.top) * 100);
}

/** How many decimals a gridline step needs to be written exactly (0.25 → 2, 5 → 0). */
export function decimalsOf(step: number): number {
  const text = String(tidy(step));
  if (text.includes("e-")) return Number(text.split("e-")[1]);
  return text.includes(".") ? text.split(".")[1]!.length : 0;
}
