import { robustBand } from '@athlete/core';
import { whoopCycleDate } from '@athlete/providers';
import { describe, expect, it } from 'vitest';
import { garminDay } from '../src/data/garmin-data.ts';
import { baseRespiratoryRate, isOffNight, OFF_NIGHT_EVERY_DAYS } from '../src/data/off-nights.ts';
import { addDays } from '../src/data/random.ts';
import { sandboxUser } from '../src/data/users.ts';
import { generateWhoopData } from '../src/data/whoop-data.ts';

const NOW_MS = Date.parse('2026-03-15T12:00:00Z');

describe('off nights: respiration and skin temperature the personal bands flag', () => {
  const user = sandboxUser('athlete');

  it('falls every 14th night, on the same dates whoever asks and when', () => {
    const dates = Array.from({ length: 56 }, (_, i) => addDays('2026-01-01', i));
    const off = dates.filter((d) => isOffNight('athlete', d));
    expect(off).toHaveLength(56 / OFF_NIGHT_EVERY_DAYS);
    expect(addDays(off[0]!, OFF_NIGHT_EVERY_DAYS)).toBe(off[1]);
  });

  it('lifts WHOOP respiration and skin temperature out of the band the nights before give', () => {
    const data = generateWhoopData(user, 90, NOW_MS);
    const sleepById = new Map(data.sleeps.map((s) => [s.id, s]));
    const cycleById = new Map(data.cycles.map((c) => [c.id, c]));
    const byDate = data.recoveries
      .map((r) => ({
        date: whoopCycleDate(cycleById.get(r.cycle_id)!),
        resp: sleepById.get(r.sleep_id)!.score!.respiratory_rate!,
        skin: r.score!.skin_temp_celsius!,
      }))
      .sort((a, b) => a.date.localeCompare(b.date));
    const base = baseRespiratoryRate('athlete');
    for (const night of byDate.slice(60)) {
      const history = byDate.filter((n) => n.date < night.date).slice(-60);
      const resp = robustBand(history.map((n) => n.resp))!;
      const skin = robustBand(history.map((n) => n.skin))!;
      const off = isOffNight('athlete', night.date);
      expect(night.resp > resp.upper, `${night.date} respiration`).toBe(off);
      expect(night.skin > skin.upper, `${night.date} skin`).toBe(off);
      if (!off) expect(Math.abs(night.resp - base)).toBeLessThanOrEqual(0.5);
    }
  });

  it('gives Garmin a skin temperature deviation and all-day respiration on the same nights', () => {
    const date = Array.from({ length: 14 }, (_, i) => addDays('2026-02-01', i)).find((d) =>
      isOffNight('athlete', d),
    )!;
    const off = garminDay(user, date);
    const usual = garminDay(user, addDays(date, 1));
    expect(off.skinTemp.avgDeviationCelsius).toBeGreaterThan(0.7);
    expect(Math.abs(usual.skinTemp.avgDeviationCelsius!)).toBeLessThanOrEqual(0.3);
    const mean = (d: typeof off) => {
      const v = Object.values(d.respiration.timeOffsetEpochToBreaths!);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(mean(off) - mean(usual)).toBeGreaterThan(2);
    expect(Object.keys(off.respiration.timeOffsetEpochToBreaths!)).toHaveLength(288);
  });
});
