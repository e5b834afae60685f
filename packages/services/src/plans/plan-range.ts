import { addDays, isoDay } from '../analytics/inputs.ts';

/** `?from&to` of a plan list, defaulting to the calendar month of today (UTC) or of `from`. */
export function planRange(range: { from?: string; to?: string }, now = Date.now()) {
  const anchor = range.from ?? range.to ?? isoDay(now);
  const from = range.from ?? `${anchor.slice(0, 7)}-01`;
  const nextMonth = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1);
  const to = range.to ?? addDays(isoDay(nextMonth.getTime()), -1);
  return { from, to };
}
