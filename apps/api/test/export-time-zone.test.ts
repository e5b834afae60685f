import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('account export: CSV times in the person’s time zone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  const exportCsv = async (token: string) => {
    const res = await t.app.inject({ url: '/api/v1/me/export', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    return (name: string) => strFromU8(files[name]!);
  };

  it('writes instants as local time with the offset once a zone is chosen; dates stay dates', async () => {
    const u = await createUser(t.app, 'athlete');
    const { db } = t.app.deps;
    const manual = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions/manual',
      headers: bearer(u.token),
      payload: { sport: 'running', startedAt: '2026-01-31T23:59:00Z', durationS: 1800, distanceM: 5000 },
    });
    expect(manual.statusCode, manual.body).toBe(201);
    await db.prisma.dailySummary.create({
      data: { athleteId: u.id, date: new Date('2026-01-31'), source: 'whoop', restingHr: 51 },
    });

    // No zone chosen (the browser's, which the server cannot know): UTC, as before.
    let csv = await exportCsv(u.token);
    expect(csv('training_sessions.csv')).toContain('2026-01-31T23:59:00.000Z');

    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/preferences',
      headers: bearer(u.token),
      payload: { timeZone: 'America/New_York' },
    });
    expect(set.statusCode).toBe(200);
    csv = await exportCsv(u.token);
    const sessions = csv('training_sessions.csv');
    // 23:59 UTC is 18:59 in New York (EST, UTC−5): the same instant, on the person's clock.
    expect(sessions).toContain('2026-01-31T18:59:00.000-05:00');
    expect(sessions).not.toContain('2026-01-31T23:59:00.000Z');
    // A calendar date is not an instant: 31 January stays 31 January.
    const daily = csv('daily_summaries.csv').trim().split('\r\n');
    const dateAt = daily[0]!.split(',').indexOf('date');
    expect(daily[1]!.split(',')[dateAt]).toBe('2026-01-31');
    // JSON files keep UTC: they are for machines, and carry the zone in user.json.
    expect(JSON.parse(csv('user.json')).preferences.timeZone).toBe('America/New_York');
  });
});
