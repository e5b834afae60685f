import { median } from '@athlete/core';

/** The shortest gap a series chart ever breaks at, in s (a 1 Hz recording's dropout rule). */
export const MIN_CHART_GAP_S = 10;

/**
 * Largest x-step (s) still drawn as one line: 4 × the series' median point spacing, at least
 * 10 s. Server-downsampled points of a long session sit ~duration/maxPoints apart, so a fixed
 * 10 s rule would break every segment; real pauses stay far above the median and still break.
 */
export function chartGapS(points: readonly { x: number }[]): number {
  const steps: number[] = [];
  for (let i = 1; i < points.length; i++) steps.push(points[i]!.x - points[i - 1]!.x);
  const step = median(steps.filter((s) => s > 0)) ?? 0;
  return Math.max(MIN_CHART_GAP_S, 4 * step);
}
