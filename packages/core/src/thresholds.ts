/** Alert thresholds: defaults, validation of overrides, and how global, team and athlete values merge. */

export interface Thresholds {
  /** Fire hr_high above this share of HR max (needs the athlete's HR max); null disables. */
  hrAbovePctMax: number | null;
  /** Fire hr_high above this absolute bpm; null disables. With both set, the lower one applies. */
  hrAboveBpm: number | null;
  hrAboveSeconds: number;
  /** hr_high is critical above this share of HR max. */
  criticalPctMax: number;
  hrBelowBpm: number | null;
  hrBelowSeconds: number;
  dropoutSeconds: number | null;
  jumpBpm: number | null;
  /** Window within which two samples count as consecutive for hr_jump. */
  jumpWindowSeconds: number;
  /** A fired rule clears only after its condition has been gone this long. */
  clearSeconds: number;
  /** Hysteresis: HR must come back this many bpm inside the threshold to count as cleared. */
  hysteresisBpm: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  hrAbovePctMax: 0.92,
  hrAboveBpm: null,
  hrAboveSeconds: 10,
  criticalPctMax: 0.97,
  hrBelowBpm: 40,
  hrBelowSeconds: 10,
  dropoutSeconds: 15,
  jumpBpm: 40,
  jumpWindowSeconds: 2,
  clearSeconds: 5,
  hysteresisBpm: 3,
});

export class ThresholdsError extends Error {
  override readonly name = 'ThresholdsError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`thresholds.${field}: ${message}`);
  }
}

type Spec = { nullable: boolean; min: number; max: number };
const SPECS: Record<keyof Thresholds, Spec> = {
  hrAbovePctMax: { nullable: true, min: 0.3, max: 1.2 },
  hrAboveBpm: { nullable: true, min: 40, max: 260 },
  hrAboveSeconds: { nullable: false, min: 0, max: 3600 },
  criticalPctMax: { nullable: false, min: 0.3, max: 1.5 },
  hrBelowBpm: { nullable: true, min: 10, max: 200 },
  hrBelowSeconds: { nullable: false, min: 0, max: 3600 },
  dropoutSeconds: { nullable: true, min: 1, max: 86_400 },
  jumpBpm: { nullable: true, min: 5, max: 250 },
  jumpWindowSeconds: { nullable: false, min: 0.1, max: 60 },
  clearSeconds: { nullable: false, min: 0, max: 3600 },
  hysteresisBpm: { nullable: false, min: 0, max: 50 },
};
/** Older spellings still accepted (e.g. the THRESHOLDS example in the config docs). */
const ALIASES: Record<string, keyof Thresholds> = { hrBelow: 'hrBelowBpm', hrAbove: 'hrAboveBpm' };

/**
 * Validates a partial thresholds object (JSON text or value). Unknown keys are ignored so old
 * stored overrides keep working; a known key with a bad value throws {@link ThresholdsError}.
 */
export function parseThresholdOverrides(input: unknown): Partial<Thresholds> {
  let value = input;
  if (value == null || value === '') return {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ThresholdsError('(root)', 'is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ThresholdsError('(root)', 'must be a JSON object');
  }
  const out: Partial<Record<keyof Thresholds, number | null>> = {};
  for (const [rawKey, v] of Object.entries(value)) {
    const key = (rawKey in SPECS ? rawKey : ALIASES[rawKey]) as keyof Thresholds | undefined;
    if (key === undefined) continue;
    const spec = SPECS[key];
    if (v === null) {
      if (!spec.nullable) throw new ThresholdsError(rawKey, 'cannot be null');
      out[key] = null;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ThresholdsError(rawKey, 'must be a number');
    if (v < spec.min || v > spec.max) {
      throw new ThresholdsError(rawKey, `must be between ${spec.min} and ${spec.max}, got ${v}`);
    }
    out[key] = v;
  }
  return out as Partial<Thresholds>;
}

/** Full thresholds: defaults ← `input` (JSON text or object, e.g. the THRESHOLDS env value). */
export function parseThresholds(
  input?: unknown,
  base: Readonly<Thresholds> = DEFAULT_THRESHOLDS,
): Thresholds {
  return mergeThresholds(base, parseThresholdOverrides(input));
}

/** Applies per-athlete overrides over global thresholds (later arguments win). */
export function mergeThresholds(
  base: Readonly<Thresholds>,
  ...overrides: (Partial<Thresholds> | null | undefined)[]
): Thresholds {
  const out: Thresholds = { ...base };
  for (const o of overrides) {
    if (!o) continue;
    for (const key of Object.keys(SPECS) as (keyof Thresholds)[]) {
      const v = o[key];
      if (v !== undefined) (out as Record<keyof Thresholds, number | null>)[key] = v;
    }
  }
  return out;
}

/**
 * Which way a threshold is more cautious (fires sooner or stays longer): 'low' for limits HR
 * must stay under and for waits, 'high' for HR floors, windows and hysteresis.
 */
const CAUTIOUS: Record<keyof Thresholds, 'low' | 'high'> = {
  hrAbovePctMax: 'low',
  hrAboveBpm: 'low',
  hrAboveSeconds: 'low',
  criticalPctMax: 'low',
  hrBelowBpm: 'high',
  hrBelowSeconds: 'low',
  dropoutSeconds: 'low',
  jumpBpm: 'low',
  jumpWindowSeconds: 'high',
  clearSeconds: 'high',
  hysteresisBpm: 'high',
};

/**
 * One set of team defaults for an athlete in several teams that each set some: per threshold,
 * the most cautious value any of them sets (a rule one team turns off stays on when another sets
 * it), so no team's alert is silenced by another team's looser setting.
 */
export function mergeTeamDefaults(teams: readonly Partial<Thresholds>[]): Partial<Thresholds> {
  const out: Partial<Record<keyof Thresholds, number | null>> = {};
  for (const t of teams) {
    for (const key of Object.keys(SPECS) as (keyof Thresholds)[]) {
      const v = t[key];
      if (v === undefined) continue;
      const have = out[key];
      if (have === undefined || have === null) out[key] = v;
      else if (v !== null) out[key] = CAUTIOUS[key] === 'low' ? Math.min(have, v) : Math.max(have, v);
    }
  }
  return out as Partial<Thresholds>;
}

/** The hr_high threshold in bpm the alert engine applies: the lower of % HR max and bpm; null = off. */
export function hrHighThresholdBpm(t: Readonly<Thresholds>, hrMax: number | null): number | null {
  const pct = t.hrAbovePctMax !== null && hrMax !== null && hrMax > 0 ? t.hrAbovePctMax * hrMax : null;
  if (pct === null) return t.hrAboveBpm;
  return t.hrAboveBpm === null ? pct : Math.min(pct, t.hrAboveBpm);
}
