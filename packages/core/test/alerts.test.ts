import { describe, expect, it } from 'vitest';
import { type AlertEvent, createAlertEngine, maxHrWithoutJumps } from '../src/alerts.ts';
import {
  DEFAULT_THRESHOLDS,
  mergeTeamDefaults,
  mergeThresholds,
  parseThresholdOverrides,
  parseThresholds,
  ThresholdsError,
} from '../src/thresholds.ts';

const T0 = 1_700_000_000_000;
const athlete = { athleteId: 'a1', hrMax: 200 };

/** Feeds 1 Hz samples hrs[i] at T0 + (start + i) s; returns all events. */
function feed(
  engine: ReturnType<typeof createAlertEngine>,
  hrs: number[],
  start = 0,
  who = athlete,
): AlertEvent[] {
  const out: AlertEvent[] = [];
  hrs.forEach((hr, i) => {
    const ts = T0 + (start + i) * 1000;
    out.push(...engine.evaluate(who, { ts, hr }, ts));
  });
  return out;
}

const repeat = (v: number, n: number): number[] => new Array(n).fill(v);
// Ramp helper so hr_jump does not fire while moving between levels.
const ramp = (from: number, to: number, step = 10): number[] => {
  const out: number[] = [];
  for (let v = from; from < to ? v < to : v > to; v += from < to ? step : -step) out.push(v);
  return out;
};

describe('parseThresholds', () => {
  it('returns defaults for empty input', () => {
    expect(parseThresholds(undefined)).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds('')).toEqual(DEFAULT_THRESHOLDS);
    expect(DEFAULT_THRESHOLDS).toMatchObject({
      hrAbovePctMax: 0.92,
      hrAboveBpm: null,
      hrAboveSeconds: 10,
      hrBelowBpm: 40,
      hrBelowSeconds: 10,
      dropoutSeconds: 15,
      jumpBpm: 40,
      clearSeconds: 5,
    });
  });

  it('parses JSON text, accepts aliases and nulls, ignores unknown keys', () => {
    const t = parseThresholds('{"hrAbovePctMax":0.9,"hrBelow":35,"jumpBpm":null,"colour":"red"}');
    expect(t).toMatchObject({ hrAbovePctMax: 0.9, hrBelowBpm: 35, jumpBpm: null, hrAboveSeconds: 10 });
  });

  it('names the bad field', () => {
    expect(() => parseThresholds('{"hrAboveSeconds":"ten"}')).toThrow(/hrAboveSeconds: must be a number/);
    expect(() => parseThresholds({ hrAbovePctMax: 3 })).toThrow(ThresholdsError);
    expect(() => parseThresholds({ clearSeconds: null })).toThrow(/cannot be null/);
    expect(() => parseThresholds('{nope')).toThrow(/valid JSON/);
    expect(() => parseThresholds('[1]')).toThrow(/object/);
  });

  it('merges per-athlete overrides over global values', () => {
    const global = parseThresholds({ hrAboveSeconds: 20 });
    const merged = mergeThresholds(global, parseThresholdOverrides({ hrAboveBpm: 175 }), { clearSeconds: 8 });
    expect(merged).toMatchObject({
      hrAboveSeconds: 20,
      hrAboveBpm: 175,
      clearSeconds: 8,
      hrAbovePctMax: 0.92,
    });
  });
});

describe('alert engine', () => {
  it('hr_high fires after being held and clears after clearSeconds below threshold minus hysteresis', () => {
    const e = createAlertEngine();
    // threshold 0.92 × 200 = 184
    const up = feed(e, [...ramp(150, 190), ...repeat(190, 11)]);
    const fired = up.filter((x) => x.type === 'fired');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ rule: 'hr_high', severity: 'warning', threshold: 184, value: 190 });
    // fired exactly 10 s after the first sample above 184
    expect(fired[0]!.at - (T0 + 4000)).toBe(10_000);

    // 183 is below 184 but inside the hysteresis band (184 − 3): does not clear
    expect(feed(e, repeat(183, 20), 20)).toEqual([]);
    const down = feed(e, repeat(175, 10), 40);
    expect(down.filter((x) => x.type === 'cleared')).toHaveLength(1);
    expect(down[0]).toMatchObject({
      type: 'cleared',
      rule: 'hr_high',
      startedAt: fired[0]!.at,
      at: T0 + 45_000,
    });
    expect(e.active()).toEqual([]);
  });

  it('does not fire when the excursion is shorter than the hold', () => {
    const e = createAlertEngine();
    expect(feed(e, [...ramp(150, 190), ...repeat(190, 8), ...ramp(180, 150)])).toEqual([]);
  });

  it('marks hr_high critical above 97 % of max and honours an absolute bpm', () => {
    const e = createAlertEngine();
    const ev = feed(e, [...ramp(150, 196), ...repeat(196, 12)]);
    expect(ev.find((x) => x.type === 'fired')).toMatchObject({ severity: 'critical', value: 196 });

    const abs = createAlertEngine(parseThresholds({ hrAboveBpm: 160 }));
    const ev2 = feed(abs, [...ramp(120, 165), ...repeat(165, 12)], 0, { athleteId: 'a2', hrMax: 200 });
    expect(ev2.find((x) => x.type === 'fired')).toMatchObject({ rule: 'hr_high', threshold: 160 });
    // absolute threshold works without HR max
    const noMax = feed(abs, [...ramp(120, 165), ...repeat(165, 12)], 0, {
      athleteId: 'a3',
      hrMax: null,
    } as never);
    expect(noMax.some((x) => x.type === 'fired')).toBe(true);
  });

  it('debounces: a brief dip does not clear, so the alert does not fire twice', () => {
    const e = createAlertEngine();
    const seq = [
      ...ramp(150, 190),
      ...repeat(190, 12),
      ...repeat(175, 3), // dip shorter than clearSeconds
      ...repeat(190, 12),
      ...repeat(175, 3),
      ...repeat(190, 5),
    ];
    const ev = feed(e, seq);
    expect(ev.filter((x) => x.type === 'fired')).toHaveLength(1);
    expect(ev.filter((x) => x.type === 'cleared')).toHaveLength(0);
    // after a proper clear it can fire again, once it is held again
    const later = feed(e, [...repeat(170, 6), ...ramp(180, 190), ...repeat(190, 11)], 100);
    expect(later.map((x) => x.type)).toEqual(['cleared', 'fired']);
  });

  it('uses per-athlete overrides', () => {
    const e = createAlertEngine();
    const strict = { athleteId: 'b', hrMax: 200, thresholds: { hrAboveBpm: 150, hrAboveSeconds: 3 } };
    const ev = feed(e, [...ramp(120, 155), ...repeat(155, 4)], 0, strict);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ athleteId: 'b', threshold: 150 });
  });

  it('takes new overrides mid-stream (a new object) and drops them again', () => {
    const e = createAlertEngine();
    const loose = { athleteId: 'c', hrMax: 200, thresholds: { hrAboveBpm: 190, hrAboveSeconds: 3 } };
    expect(feed(e, [...ramp(120, 160), ...repeat(160, 6)], 0, loose)).toEqual([]);
    // The profile changed: the same athlete with a lower bound fires on the next samples.
    const strict = { ...loose, thresholds: { hrAboveBpm: 150, hrAboveSeconds: 3 } };
    const fired = feed(e, repeat(160, 4), 20, strict);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ type: 'fired', rule: 'hr_high', threshold: 150 });
    // Overrides removed: the global bound (92 % of HR max, 184 here) applies again and 160 is inside it.
    const none = { athleteId: 'c', hrMax: 200, thresholds: null };
    const after = feed(e, repeat(160, 40), 24, none);
    expect(after.map((x) => x.type)).toEqual(['cleared']);
  });

  it('hr_low fires and clears', () => {
    const e = createAlertEngine();
    const ev = feed(e, [...repeat(45, 3), ...repeat(38, 11), ...repeat(44, 6)]);
    expect(ev.map((x) => `${x.type}:${x.rule}`)).toEqual(['fired:hr_low', 'cleared:hr_low']);
    expect(ev[0]).toMatchObject({ value: 38, threshold: 40, severity: 'warning' });
  });

  it('dropout fires from tick and clears on the next sample', () => {
    const e = createAlertEngine();
    feed(e, repeat(120, 5));
    const lastSeen = T0 + 4000;
    expect(e.tick(lastSeen + 15_000)).toEqual([]);
    const fired = e.tick(lastSeen + 16_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ type: 'fired', rule: 'dropout', threshold: 15, value: 16 });
    expect(e.tick(lastSeen + 20_000)).toEqual([]); // not again while open
    const cleared = e.evaluate(athlete, { ts: lastSeen + 30_000, hr: 121 }, lastSeen + 30_000);
    expect(cleared).toEqual([expect.objectContaining({ type: 'cleared', rule: 'dropout', value: 30 })]);
  });

  it('hr_jump fires on an implausible jump within 2 s and clears once the signal is stable', () => {
    const e = createAlertEngine();
    const ev = feed(e, [120, 121, 175, 122, 121, 120, 121, 122, 123, 120]);
    expect(ev.map((x) => `${x.type}:${x.rule}`)).toEqual(['fired:hr_jump', 'cleared:hr_jump']);
    expect(ev[0]).toMatchObject({ value: 54, threshold: 40, at: T0 + 2000 });
    expect(ev[1]!.at).toBe(T0 + 8000); // 5 s after the last jump (175 → 122 at 3 s)
  });

  it('max HR without jumps leaves out exactly the samples the engine fires hr_jump on', () => {
    const hrs = [120, 121, 175, 122, 150, 151, 60, 150];
    const samples = hrs.map((hr, i) => ({ ts: T0 + i * 1000, hr }));
    // 175 (+54) and 60 (−91) are jumps; 122 (−53) and the last 150 (+90) are too (each is
    // compared with the sample before it); the highest plausible sample is 151.
    expect(maxHrWithoutJumps(samples, DEFAULT_THRESHOLDS)).toEqual({ maxHr: 151, excluded: 4 });
    const fired = feed(createAlertEngine(), hrs).filter((x) => x.type === 'fired' && x.rule === 'hr_jump');
    expect(fired[0]).toMatchObject({ at: T0 + 2000 });
    // Jumps off: every sample counts.
    expect(maxHrWithoutJumps(samples, { ...DEFAULT_THRESHOLDS, jumpBpm: null })).toEqual({
      maxHr: 175,
      excluded: 0,
    });
    // Samples more than the window apart are never a jump.
    expect(
      maxHrWithoutJumps(
        [
          { ts: T0, hr: 100 },
          { ts: T0 + 3000, hr: 180 },
        ],
        DEFAULT_THRESHOLDS,
      ),
    ).toEqual({
      maxHr: 180,
      excluded: 0,
    });
  });

  it('does not treat samples more than 2 s apart as a jump', () => {
    const e = createAlertEngine();
    expect(e.evaluate(athlete, { ts: T0, hr: 100 }, T0)).toEqual([]);
    expect(e.evaluate(athlete, { ts: T0 + 3000, hr: 150 }, T0 + 3000)).toEqual([]);
  });

  it('ignores resent samples and samples without HR, and forget clears open alerts', () => {
    const e = createAlertEngine();
    feed(e, [...ramp(150, 190), ...repeat(190, 12)]);
    expect(e.active('a1')).toEqual([expect.objectContaining({ rule: 'hr_high' })]);
    expect(e.evaluate(athlete, { ts: T0, hr: 100 }, T0 + 99_000)).toEqual([]);
    expect(e.evaluate(athlete, { ts: T0 + 99_000 }, T0 + 99_000)).toEqual([]);
    const forgotten = e.forget('a1', T0 + 100_000);
    expect(forgotten).toEqual([expect.objectContaining({ type: 'cleared', rule: 'hr_high' })]);
    expect(e.tick(T0 + 1_000_000)).toEqual([]);
  });
});

describe('alert engine handoff (release and resume)', () => {
  const episodeOf = (ev: AlertEvent) => ({
    rule: ev.rule,
    severity: ev.severity,
    startedAt: ev.startedAt,
    threshold: ev.threshold,
    value: ev.value,
  });

  it('release drops an athlete without clearing anything and without a later dropout', () => {
    const e = createAlertEngine();
    feed(e, [...ramp(150, 190), ...repeat(190, 12)]);
    feed(e, repeat(120, 3), 0, { athleteId: 'other', hrMax: 200 });
    e.release('a1');
    expect(e.active('a1')).toEqual([]);
    // Only the athlete still watched here goes silent.
    expect(e.tick(T0 + 600_000).map((x) => [x.athleteId, x.rule])).toEqual([['other', 'dropout']]);
    expect(e.forget('a1', T0 + 600_000)).toEqual([]);
  });

  it('a resumed hr_high episode is not fired again and clears with its original start', () => {
    const first = createAlertEngine();
    const fired = feed(first, [...ramp(150, 190), ...repeat(190, 12)]).find((x) => x.type === 'fired')!;
    expect(fired).toMatchObject({ rule: 'hr_high', value: 190 });

    const next = createAlertEngine();
    expect(next.resume(athlete, [episodeOf(fired)])).toEqual([episodeOf(fired)]);
    expect(next.active('a1')).toEqual([
      { athleteId: 'a1', rule: 'hr_high', severity: 'warning', startedAt: fired.startedAt },
    ]);
    // Still high, a new peak: nothing fires (the episode goes on) ...
    expect(feed(next, repeat(193, 20), 30)).toEqual([]);
    // ... and once below threshold − hysteresis for clearSeconds, that same episode clears.
    const down = feed(next, repeat(170, 6), 50);
    expect(down).toEqual([
      expect.objectContaining({
        type: 'cleared',
        rule: 'hr_high',
        startedAt: fired.startedAt,
        value: 193,
        at: T0 + 55_000,
      }),
    ]);
    // A new excursion afterwards is a new episode.
    const again = feed(next, [...ramp(180, 190), ...repeat(190, 11)], 60);
    expect(again.filter((x) => x.type === 'fired')).toHaveLength(1);
  });

  it('keeps an episode already open here, and resumes dropout and hr_jump episodes', () => {
    const e = createAlertEngine();
    const own = feed(e, [...ramp(150, 190), ...repeat(190, 12)]).find((x) => x.type === 'fired')!;
    const other = {
      rule: 'hr_high',
      severity: 'critical',
      startedAt: T0 - 50_000,
      threshold: 150,
      value: 199,
    } as const;
    expect(e.resume(athlete, [other])).toEqual([]);
    expect(e.active('a1')).toEqual([expect.objectContaining({ rule: 'hr_high', startedAt: own.startedAt })]);

    const resumed = createAlertEngine();
    const episodes = [
      { rule: 'dropout', severity: 'warning', startedAt: T0, threshold: 15, value: 16 },
      { rule: 'hr_jump', severity: 'warning', startedAt: T0, threshold: 40, value: 54 },
    ] as const;
    expect(resumed.resume(athlete, episodes)).toEqual(episodes);
    // No sample here yet: the tick has nothing to time a silence from.
    expect(resumed.tick(T0 + 600_000)).toEqual([]);
    const first = resumed.evaluate(athlete, { ts: T0 + 10_000, hr: 120 }, T0 + 10_000);
    expect(first.map((x) => [x.type, x.rule, x.startedAt])).toEqual([
      ['cleared', 'dropout', T0],
      ['cleared', 'hr_jump', T0],
    ]);
    expect(resumed.active('a1')).toEqual([]);
  });
});

describe('mergeTeamDefaults (an athlete in several teams)', () => {
  it('takes the most cautious value per threshold, and keeps a rule on that one team turns off', () => {
    const merged = mergeTeamDefaults([
      { hrAboveBpm: 185, hrBelowBpm: 40, dropoutSeconds: 30, jumpBpm: null },
      { hrAboveBpm: 178, hrBelowBpm: 45, dropoutSeconds: null, hysteresisBpm: 5 },
    ]);
    expect(merged).toEqual({
      hrAboveBpm: 178,
      hrBelowBpm: 45,
      dropoutSeconds: 30,
      jumpBpm: null,
      hysteresisBpm: 5,
    });
  });

  it('is the team’s own defaults for one team, and nothing for none', () => {
    expect(mergeTeamDefaults([{ hrAbovePctMax: 0.9 }])).toEqual({ hrAbovePctMax: 0.9 });
    expect(mergeTeamDefaults([])).toEqual({});
  });
});
