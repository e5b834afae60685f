import { SAMPLE_BOUNDS, sampleValueFits } from '@athlete/contracts';
import type { ActivitySample } from './types.ts';

/** What a stored sample may hold: the live ingest bounds, one table for both paths (contracts). */
const { rr: _rr, ...IMPORT_FIELDS } = SAMPLE_BOUNDS;
export const IMPORT_SAMPLE_BOUNDS = IMPORT_FIELDS;

/** Earliest plausible record, and how far past "now" a file's clock may run. */
export const IMPORT_TIME_WINDOW = { earliestMs: Date.UTC(1990, 0, 1), futureSlackMs: 24 * 3600_000 };

/** Consecutive records further apart than this are a clock jump, not a pause. */
export const CLOCK_JUMP_MS = 48 * 3600_000;

type Field = keyof typeof IMPORT_SAMPLE_BOUNDS;
const FIELDS = Object.keys(IMPORT_SAMPLE_BOUNDS) as Field[];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** True when `ms` is inside the plausible window for an activity file. */
export function plausibleTime(ms: number, now: number): boolean {
  return ms >= IMPORT_TIME_WINDOW.earliestMs && ms <= now + IMPORT_TIME_WINDOW.futureSlackMs;
}

/**
 * Makes samples storable and says what it changed: HR 0 means "no HR"; a value outside the
 * ingest bounds (or too small for a real column) is dropped from its record; records outside the
 * plausible time window or cut off by a clock jump are dropped; records sharing a timestamp are
 * merged field by field (the first value of each field wins). Returns time-ordered samples.
 */
export function cleanSamples(raw: readonly ActivitySample[], notes: string[], now: number): ActivitySample[] {
  const dropped = new Map<Field, number>();
  let outOfWindow = 0;
  const kept: ActivitySample[] = [];
  for (const sample of raw) {
    if (!Number.isFinite(sample.ts) || !plausibleTime(sample.ts, now)) {
      outOfWindow += 1;
      continue;
    }
    const clean: ActivitySample = { ts: sample.ts };
    for (const field of FIELDS) {
      const value = sample[field];
      if (value === undefined) continue;
      if (field === 'hr' && value === 0) continue;
      if (!sampleValueFits(field, value)) {
        dropped.set(field, (dropped.get(field) ?? 0) + 1);
        continue;
      }
      clean[field] = value;
    }
    if ((clean.lat === undefined) !== (clean.lon === undefined)) {
      delete clean.lat;
      delete clean.lon;
    }
    kept.push(clean);
  }
  if (outOfWindow > 0) {
    notes.push(
      `${plural(outOfWindow, 'record')} dated before ${iso(IMPORT_TIME_WINDOW.earliestMs)} or more than a day in the future (an unset device clock) dropped`,
    );
  }
  for (const [field, n] of dropped) {
    const { min, max, unit } = IMPORT_SAMPLE_BOUNDS[field];
    notes.push(`${plural(n, `${field} value`)} outside ${min}–${max} ${unit} dropped`);
  }
  kept.sort((a, b) => a.ts - b.ts);
  const merged = mergeSameInstant(kept, notes);
  return dropClockJumps(merged, notes);
}

function mergeSameInstant(sorted: ActivitySample[], notes: string[]): ActivitySample[] {
  const out: ActivitySample[] = [];
  let mergedCount = 0;
  for (const sample of sorted) {
    const last = out.at(-1);
    if (last !== undefined && last.ts === sample.ts) {
      for (const field of FIELDS)
        if (last[field] === undefined && sample[field] !== undefined) last[field] = sample[field];
      mergedCount += 1;
    } else {
      out.push(sample);
    }
  }
  if (mergedCount > 0)
    notes.push(`${plural(mergedCount, 'record')} sharing a timestamp with another merged field by field`);
  return out;
}

/** Keeps the longest run of records without a jump of more than {@link CLOCK_JUMP_MS}. */
function dropClockJumps(sorted: ActivitySample[], notes: string[]): ActivitySample[] {
  if (sorted.length < 2) return sorted;
  let bestStart = 0;
  let bestEnd = sorted.length;
  let runStart = 0;
  let best = 0;
  const jumps: number[] = [];
  for (let i = 1; i <= sorted.length; i++) {
    const isJump = i < sorted.length && sorted[i]!.ts - sorted[i - 1]!.ts > CLOCK_JUMP_MS;
    if (isJump) jumps.push(i);
    if (isJump || i === sorted.length) {
      if (i - runStart > best) {
        best = i - runStart;
        bestStart = runStart;
        bestEnd = i;
      }
      runStart = i;
    }
  }
  if (jumps.length === 0) return sorted;
  const dropped = sorted.length - (bestEnd - bestStart);
  const at = jumps[0]!;
  const days = ((sorted[at]!.ts - sorted[at - 1]!.ts) / 86_400_000).toFixed(1);
  notes.push(
    `the clock jumps ${days} days at ${iso(sorted[at - 1]!.ts)}: ${plural(dropped, 'record')} on the far side of the jump dropped`,
  );
  return sorted.slice(bestStart, bestEnd);
}

/** Median interval between consecutive records, s (0 with fewer than two records). */
export function recordingIntervalS(samples: readonly ActivitySample[]): number {
  const deltas: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const d = (samples[i]!.ts - samples[i - 1]!.ts) / 1000;
    if (d > 0) deltas.push(d);
  }
  if (deltas.length === 0) return 0;
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(deltas.length / 2)]!;
}

/**
 * How long one record of a file stands for: until the next record, up to
 * max(10 s, 4 × the file's median recording interval). A longer gap is a pause.
 */
export function fileCreditRule(intervalS: number): { recordingIntervalS: number; maxCreditS: number } {
  return { recordingIntervalS: intervalS, maxCreditS: Math.max(10, 4 * intervalS) };
}
