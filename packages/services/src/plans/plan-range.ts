import { localDay } from '@athlete/core';
import { addDays, isoDay } from '../analytics/inputs.ts';

/** Days a plan list covers from one given end when the other is left out. */
const DEFAULT_SPAN_DAYS = 31;

/**
 * `?from&to` of a plan list: as given; one end alone covers 31 days from (or up to) it; neither
 * is the calendar month of today in `timeZone` (the reader's; UTC without one).
 */
export function planRange(
  range: { from?: string; to?: string },
  now = Date.now(),
  timeZone: string | null = null,
) {
  if (range.from && range.to) return { from: range.from, to: range.to };
  if (range.from) return { from: range.from, to: addDays(range.from, DEFAULT_SPAN_DAYS - 1) };
  if (range.to) return { from: addDays(range.to, -(DEFAULT_SPAN_DAYS - 1)), to: range.to };
  const month = localDay(now, timeZone).slice(0, 7);
  const next = new Date(`${month}-01T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from: `${month}-01`, to: addDays(isoDay(next.getTime()), -1) };
}
