const KJ_PER_KCAL = 4.184;

export function kilojoulesToKcal(kj: number): number {
  return Math.round((kj / KJ_PER_KCAL) * 10) / 10;
}

export function msToS(ms: number): number {
  return Math.round(ms / 1000);
}

/** Minutes east of UTC for a time-zone designator `+hh:mm`, `-hh:mm` or `Z`. */
export function offsetToMinutes(offset: string): number {
  if (offset === 'Z' || offset === '') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (match === null) throw new RangeError(`not a time-zone offset: ${offset}`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** YYYY-MM-DD of an instant as seen with a fixed UTC offset. */
export function localDate(instantMs: number, offsetMinutes: number): string {
  return new Date(instantMs + offsetMinutes * 60_000).toISOString().slice(0, 10);
}
