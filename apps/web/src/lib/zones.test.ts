import { describe, expect, it } from 'vitest';
import { readZone, zoneSetup } from './zones.ts';

describe('zoneSetup/readZone', () => {
  it('uses stored zone bounds when the profile has them', () => {
    const setup = zoneSetup({ hrMax: 200, hrZones: [120, 140, 160, 180, 200] });
    expect(setup?.hrMaxSource).toBe('profile');
    expect(readZone(150, setup)).toEqual({ zone: 3, label: 'Z3 Tempo', pctMax: 0.75 });
    expect(readZone(205, setup).zone).toBe(5);
  });

  it('derives zones from HR max, or estimates HR max from the birth year', () => {
    const fromMax = zoneSetup({ hrMax: 190 });
    expect(readZone(95, fromMax).label).toBe('Z1 Recovery');
    expect(readZone(80, fromMax)).toMatchObject({ zone: 0, label: 'Below Z1' });
    const estimated = zoneSetup({ birthYear: 1996 }, Date.UTC(2026, 5, 1));
    expect(estimated).toMatchObject({ hrMax: 187, hrMaxSource: 'estimated' });
  });

  it('returns nothing it cannot know', () => {
    expect(zoneSetup({})).toBeNull();
    expect(readZone(150, null)).toEqual({ zone: 0, label: '', pctMax: null });
    expect(readZone(null, zoneSetup({ hrMax: 190 })).pctMax).toBeNull();
  });
});
