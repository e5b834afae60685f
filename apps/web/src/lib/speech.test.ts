import { describe, expect, it } from 'vitest';
import type { Alert } from '../api/types.ts';
import {
  ALERT_REPEAT_MS,
  AlertAnnouncer,
  alertUtterance,
  type SpeechOutput,
  SplitAnnouncer,
  speakLatest,
  splitUtterance,
  ZONE_HOLD_MS,
  ZoneAnnouncer,
} from './speech.ts';

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: '00000000-0000-4000-8000-000000000001',
  athleteId: '00000000-0000-4000-8000-0000000000a1',
  rule: 'hr_high',
  severity: 'warning',
  message: 'Heart rate above 190',
  value: 196,
  threshold: 190,
  startedAt: new Date(0).toISOString(),
  ...over,
});

describe('alertUtterance', () => {
  it('names the athlete, the rule in words, the value and the threshold', () => {
    expect(alertUtterance(alert(), 'Athlete 5')).toBe('Athlete 5, heart rate 196, above 190');
    expect(alertUtterance(alert({ rule: 'hr_low', value: 38.6, threshold: 40 }), 'Ann')).toBe(
      'Ann, heart rate 39, below 40',
    );
    expect(alertUtterance(alert({ rule: 'dropout', value: 30.2, threshold: 30 }), 'Ann')).toBe(
      'Ann, signal lost for 30 seconds',
    );
    expect(alertUtterance(alert({ rule: 'hr_jump', value: 62, threshold: 40 }), 'Ann')).toBe(
      'Ann, heart rate jumped 62 beats, limit 40',
    );
  });

  it('leaves out what is unknown', () => {
    expect(alertUtterance(alert({ value: null, threshold: null }), 'Ann')).toBe('Ann, heart rate high');
  });
});

describe('AlertAnnouncer', () => {
  it('speaks one athlete and rule at most once a minute, others at once', () => {
    const a = new AlertAnnouncer();
    expect(a.consider(alert(), 'Ann', 0)).toBe('Ann, heart rate 196, above 190');
    // The alert flaps: cleared and fired again as a new alert 20 s later.
    expect(a.consider(alert({ id: '00000000-0000-4000-8000-000000000002' }), 'Ann', 20_000)).toBeNull();
    // Another rule of the same athlete, and the same rule of another athlete, are news.
    expect(a.consider(alert({ rule: 'dropout', value: 31 }), 'Ann', 21_000)).toBe(
      'Ann, signal lost for 31 seconds',
    );
    expect(a.consider(alert({ athleteId: '00000000-0000-4000-8000-0000000000a2' }), 'Bo', 22_000)).toBe(
      'Bo, heart rate 196, above 190',
    );
    // A suppressed repeat does not extend the quiet minute.
    expect(a.consider(alert({ value: 201 }), 'Ann', ALERT_REPEAT_MS)).toBe('Ann, heart rate 201, above 190');
  });

  it('never speaks a cleared or acknowledged alert', () => {
    const a = new AlertAnnouncer();
    expect(a.consider(alert({ clearedAt: new Date(1).toISOString() }), 'Ann', 0)).toBeNull();
    expect(a.consider(alert({ acknowledgedAt: new Date(1).toISOString() }), 'Ann', 0)).toBeNull();
    // Neither counted as spoken: the next real one is heard.
    expect(a.consider(alert(), 'Ann', 1)).not.toBeNull();
  });
});

describe('ZoneAnnouncer', () => {
  it('speaks a zone once it has held 10 s, and not again while it holds', () => {
    const z = new ZoneAnnouncer();
    expect(z.update(2, 0)).toBeNull();
    expect(z.update(2, ZONE_HOLD_MS - 1)).toBeNull();
    expect(z.update(2, ZONE_HOLD_MS)).toBe('Zone 2');
    expect(z.update(2, ZONE_HOLD_MS + 5000)).toBeNull();
  });

  it('ignores a zone that does not hold (HR on a boundary)', () => {
    const z = new ZoneAnnouncer();
    z.update(2, 0);
    expect(z.update(2, ZONE_HOLD_MS)).toBe('Zone 2');
    let t = ZONE_HOLD_MS;
    for (let i = 0; i < 10; i++) {
      t += 4000;
      expect(z.update(i % 2 ? 2 : 3, t)).toBeNull();
    }
    expect(z.update(3, t + 1000)).toBeNull();
    expect(z.update(3, t + 1000 + ZONE_HOLD_MS)).toBe('Zone 3');
  });

  it('never speaks below zone 1 or unknown HR, and a gap restarts the hold', () => {
    const z = new ZoneAnnouncer();
    z.update(4, 0);
    expect(z.update(0, 6000)).toBeNull();
    expect(z.update(null, 7000)).toBeNull();
    expect(z.update(4, 8000)).toBeNull();
    expect(z.update(4, 8000 + ZONE_HOLD_MS)).toBe('Zone 4');
  });
});

describe('splits', () => {
  it('says the kilometre and its time', () => {
    expect(splitUtterance(1, 312)).toBe('1 kilometre, 5 minutes 12');
    expect(splitUtterance(2, 300)).toBe('2 kilometres, 5 minutes');
    expect(splitUtterance(3, 61)).toBe('3 kilometres, 1 minute 1');
    expect(splitUtterance(4, 45.4)).toBe('4 kilometres, 45 seconds');
  });

  it('speaks each whole kilometre once, timed from the previous split', () => {
    const s = new SplitAnnouncer();
    const start = 1_000_000;
    expect(s.update(null, start + 1000, start)).toBeNull();
    expect(s.update(999, start + 300_000, start)).toBeNull();
    expect(s.update(1003, start + 312_000, start)).toBe('1 kilometre, 5 minutes 12');
    expect(s.update(1500, start + 400_000, start)).toBeNull();
    expect(s.update(2001, start + 612_000, start)).toBe('2 kilometres, 5 minutes');
    expect(s.update(2001, start + 613_000, start)).toBeNull();
  });
});

describe('speakLatest', () => {
  it('keeps at most one utterance: what is still queued or playing is dropped for the newest', () => {
    const said: string[] = [];
    let cancelled = 0;
    const out: SpeechOutput & { speaking: boolean; pending: boolean } = {
      speaking: false,
      pending: false,
      cancel() {
        cancelled++;
        this.speaking = false;
        this.pending = false;
      },
      speak(u) {
        said.push(u.text);
        this.speaking = true;
      },
    };
    const make = (text: string) => ({ text }) as SpeechSynthesisUtterance;
    speakLatest(out, 'first', make);
    expect(cancelled).toBe(0);
    speakLatest(out, 'second', make);
    expect(cancelled).toBe(1);
    expect(said).toEqual(['first', 'second']);
    out.speaking = false;
    speakLatest(out, 'third', make);
    expect(cancelled).toBe(1);
  });
});
