import { athleteZones } from '@athlete/core';
import { describe, expect, it } from 'vitest';
import { previewZones, readZone, serverZones, zoneShares } from './zones.ts';

/** A profile as GET /api/v1/me/profile returns it (zones computed by the server). */
const apiProfile = (over: object = {}) => ({
  hrMax: 192,
  effectiveHrMax: 192,
  hrMaxSource: 'profile' as const,
  zones: [
    { zone: 1, name: 'Recovery', min: 122, max: 130 },
    { zone: 2, name: 'Endurance', min: 130, max: 145 },
    { zone: 3, name: 'Tempo', min: 145, max: 160 },
    { zone: 4, name: 'Threshold', min: 160, max: 172 },
    { zone: 5, name: 'Maximum', min: 172, max: 188 },
  ],
  ...over,
});

describe('serverZones/readZone', () => {
  it("takes the API's zones as they are, zone-1 minimum included (no client-side rule)", () => {
    const setup = serverZones(apiProfile());
    expect(setup?.zones[0]).toEqual({ zone: 1, name: 'Recovery', min: 122, max: 130 });
    // 115 bpm is below zone 1 for the server, so it is on the tiles too.
    expect(readZone(115, setup)).toEqual({ zone: 0, label: 'Below Z1', pctMax: 115 / 192 });
    expect(readZone(122, setup).label).toBe('Z1 Recovery');
    expect(readZone(150, setup)).toMatchObject({ zone: 3, label: 'Z3 Tempo' });
    expect(readZone(205, setup).zone).toBe(5);
  });

  it("uses a coach summary's HR max in effect and its source", () => {
    const summary = { hrMax: 187, hrMaxSource: 'estimated' as const, zones: apiProfile().zones };
    expect(serverZones(summary)).toMatchObject({ hrMax: 187, hrMaxSource: 'estimated' });
  });

  it('returns nothing it cannot know', () => {
    expect(serverZones(null)).toBeNull();
    expect(serverZones(apiProfile({ zones: [] }))).toBeNull();
    expect(readZone(150, null)).toEqual({ zone: 0, label: '', pctMax: null });
    expect(readZone(null, serverZones(apiProfile())).pctMax).toBeNull();
  });
});

describe('previewZones', () => {
  it("previews unsaved edits with core's athleteZones, the server's rule", () => {
    const now = Date.UTC(2026, 5, 1);
    const form = { hrMax: 192, hrRest: 52, hrZones: [130, 145, 160, 172, 188], birthYear: null };
    expect(previewZones(form, now).zones).toEqual(athleteZones(form, now).zones);
    expect(previewZones(form, now).zones[0]).toMatchObject({ min: 122, max: 130 });
    expect(previewZones({ birthYear: 1996 }, now)).toMatchObject({ hrMax: 187, hrMaxSource: 'estimated' });
    expect(previewZones({}, now)).toMatchObject({ hrMax: 190, hrMaxSource: 'default' });
  });
});

describe('zoneShares', () => {
  it('shows time below zone 1 and shares of the whole session, with time without HR apart', () => {
    const rows = zoneShares([60, 120, 60, 0, 0], 40, 300);
    expect(rows.map((r) => [r.label, r.seconds, r.share])).toEqual([
      ['Below Z1', 40, 40 / 300],
      ['Z1 Recovery', 60, 0.2],
      ['Z2 Endurance', 120, 0.4],
      ['Z3 Tempo', 60, 0.2],
      ['Z4 Threshold', 0, 0],
      ['Z5 Maximum', 0, 0],
      ['No HR', 20, 20 / 300],
    ]);
  });

  it('adds no empty remainder, and never shares above 100 % when the counted time is longer', () => {
    const rows = zoneShares([50, 50, 0, 0, 0], 100, 150);
    expect(rows.map((r) => r.key)).toEqual(['below', 'z1', 'z2', 'z3', 'z4', 'z5']);
    expect(rows.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 10);
  });

  it('folds unreported time below zone 1 into the remainder (provider zones without samples)', () => {
    const rows = zoneShares([600, 600, 0, 0, 0], null, 1800);
    expect(rows.find((r) => r.key === 'below')).toBeUndefined();
    expect(rows.at(-1)).toMatchObject({ label: 'Below Z1 / no HR', seconds: 600, share: 1 / 3 });
    expect(zoneShares([0, 0, 0, 0, 0], 0, 0).every((r) => r.share === 0)).toBe(true);
  });
});
