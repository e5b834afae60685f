/** "95 %" of plan, from the API's ratio (1 = as planned). */
export const complianceText = (c: number | null | undefined) =>
  c == null ? '–' : `${Math.round(c * 100)} %`;

/** Good within ±20 % of the plan, a warning beyond. */
export const complianceClass = (c: number | null | undefined) =>
  c == null ? '' : c >= 0.8 && c <= 1.2 ? 'ok' : 'warn';

/** The target in a few words: "60 min · TRIMP 80 · zone 2". */
export function planTarget(p: { durationMin: number; targetLoad: number | null; targetZone: number | null }) {
  return [
    `${p.durationMin} min`,
    p.targetLoad !== null ? `TRIMP ${p.targetLoad}` : null,
    p.targetZone !== null ? `zone ${p.targetZone}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** YYYY-MM of a UTC day; the month grid: Monday before the 1st to Sunday after the last day. */
export function monthGrid(month: string): { from: string; to: string; days: string[] } {
  const first = new Date(`${month}-01T00:00:00Z`);
  const start = new Date(first);
  start.setUTCDate(1 - ((first.getUTCDay() + 6) % 7));
  const last = new Date(first);
  last.setUTCMonth(last.getUTCMonth() + 1, 0);
  const end = new Date(last);
  end.setUTCDate(last.getUTCDate() + ((7 - last.getUTCDay()) % 7));
  const days: string[] = [];
  for (let d = new Date(start); d <= end; d.setUTCDate(d.getUTCDate() + 1))
    days.push(d.toISOString().slice(0, 10));
  return { from: days[0]!, to: days.at(-1)!, days };
}

export function shiftMonth(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
}
