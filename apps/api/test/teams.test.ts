import { createHash } from 'node:crypto';
import type { Unsubscribe } from '@athlete/platform';
import { ACCESS_CHANGED_CHANNEL } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('teams, invites and consent (services mode)', () => {
  let t: TestApp;
  let coach: TestUser;
  let athlete: TestUser;
  beforeAll(async () => {
    t = await buildTestApp();
    [coach, athlete] = await Promise.all([
      createUser(t.app, 'coach', 'Coach Carter'),
      createUser(t.app, 'athlete', 'Ann'),
    ]);
  });
  afterAll(async () => t?.close());

  const call = (user: TestUser, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(user.token), ...(payload ? { payload } : {}) });

  /** Collects access.changed messages published while fn runs. */
  async function announcements(fn: () => Promise<unknown>) {
    const seen: unknown[] = [];
    const unsubscribe: Unsubscribe = await t.app.deps.platform.pubsub.subscribe(ACCESS_CHANGED_CHANNEL, (m) =>
      seen.push(JSON.parse(m.toString())),
    );
    try {
      await fn();
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      await unsubscribe();
    }
    return seen;
  }

  it('lets a coach create a team, invite an athlete who joins with partial consent, and list athletes', async () => {
    const created = await call(coach, 'POST', '/api/v1/teams', { name: 'Harriers' });
    expect(created.statusCode).toBe(201);
    const team = created.json().team;
    expect(team).toMatchObject({
      name: 'Harriers',
      coach: { id: coach.id, name: 'Coach Carter' },
      myRole: 'coach',
      athleteCount: 0,
    });

    const inv = await call(coach, 'POST', `/api/v1/teams/${team.id}/invites`, {
      email: athlete.email.toUpperCase(),
    });
    expect(inv.statusCode).toBe(201);
    const { code, url, expiresAt } = inv.json().invite;
    expect(code).toMatch(/^[\w-]{22}$/);
    expect(url).toBe(`/invite/${code}`);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    // Like session tokens and ingest keys, the code is stored only as its SHA-256.
    const stored = await t.app.deps.db.prisma.teamInvite.findMany({ where: { teamId: team.id } });
    expect(stored.map((i) => i.code)).toEqual([createHash('sha256').update(code).digest('hex')]);

    const preview = await t.app.inject({ url: `/api/v1/invites/${code}` });
    expect(preview.json().invite).toMatchObject({
      teamName: 'Harriers',
      coachName: 'Coach Carter',
      status: 'pending',
    });

    expect((await call(coach, 'POST', `/api/v1/invites/${code}/accept`, {})).statusCode).toBe(403);
    const stranger = await createUser(t.app, 'athlete');
    expect((await call(stranger, 'POST', `/api/v1/invites/${code}/accept`, {})).json().error.message).toMatch(
      /another email/,
    );

    const accepted = await call(athlete, 'POST', `/api/v1/invites/${code}/accept`, {
      consent: { wellness: false },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().membership).toMatchObject({
      teamId: team.id,
      role: 'athlete',
      consent: { live: true, sessions: true, wellness: false },
    });
    expect((await call(athlete, 'POST', `/api/v1/invites/${code}/accept`, {})).json().error.code).toBe(
      'INVITE_USED',
    );
    expect((await t.app.inject({ url: `/api/v1/invites/${code}` })).json().invite.status).toBe('accepted');

    await call(athlete, 'PUT', '/api/v1/me/profile', { hrMax: 200, hrRest: 50 });
    const list = await call(coach, 'GET', `/api/v1/teams/${team.id}/athletes`);
    expect(list.statusCode).toBe(200);
    expect(list.json().athletes).toEqual([
      expect.objectContaining({
        id: athlete.id,
        name: 'Ann',
        consent: { live: true, sessions: true, wellness: false },
        profile: expect.objectContaining({
          hrMax: 200,
          hrMaxSource: 'profile',
          hrRest: 50,
          hrZones: [140, 155, 170, 185, 200],
          zonesDerived: true,
        }),
      }),
    ]);
    expect((await call(athlete, 'GET', '/api/v1/teams')).json().teams[0]).toMatchObject({
      id: team.id,
      myRole: 'athlete',
      athleteCount: 1,
    });
    expect((await call(athlete, 'GET', '/api/v1/me')).json().user.memberships).toEqual([
      expect.objectContaining({ teamId: team.id, teamName: 'Harriers', role: 'athlete' }),
    ]);

    const coachProfile = await call(coach, 'GET', `/api/v1/athletes/${athlete.id}/profile`);
    expect(coachProfile.json()).toMatchObject({ athleteId: athlete.id, profile: { hrMax: 200 } });
  });

  it('refuses expired invites, double membership, and bad ids naming the field', async () => {
    const teamId = await createTeamWith(t.app, coach, [{ user: athlete, consent: ALL }]);
    const inv = (
      await call(coach, 'POST', `/api/v1/teams/${teamId}/invites`, { email: athlete.email })
    ).json().invite;
    const again = await call(athlete, 'POST', `/api/v1/invites/${inv.code}/accept`);
    expect(again.json().error.code, again.body).toBe('ALREADY_MEMBER');
    await t.app.deps.db.query("UPDATE team_invites SET expires_at = now() - interval '1 s' WHERE code = $1", [
      createHash('sha256').update(inv.code).digest('hex'),
    ]);
    const expired = await call(athlete, 'POST', `/api/v1/invites/${inv.code}/accept`);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('INVITE_EXPIRED');
    // The link's own page learns it on opening, with whose team it was (no sign-in needed).
    const preview = await t.app.inject({ url: `/api/v1/invites/${inv.code}` });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().invite).toMatchObject({ teamId, status: 'expired', teamName: expect.any(String) });

    // Two invites to one team accepted at the same instant: one membership, one 409, never a 500.
    const team2 = await call(coach, 'POST', '/api/v1/teams', { name: 'Race' });
    const race = await Promise.all(
      [0, 1].map(async () => {
        const i = await call(coach, 'POST', `/api/v1/teams/${team2.json().team.id}/invites`, {
          email: athlete.email,
        });
        return i.json().invite.code as string;
      }),
    );
    const accepted = await Promise.all(race.map((c) => call(athlete, 'POST', `/api/v1/invites/${c}/accept`)));
    expect(accepted.map((r) => r.statusCode).sort()).toEqual([200, 409]);

    const bad = await call(coach, 'GET', '/api/v1/teams/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('params.id');
    expect((await call(coach, 'GET', `/api/v1/teams/${crypto.randomUUID()}`)).statusCode).toBe(404);
    const badEmail = await call(coach, 'POST', `/api/v1/teams/${teamId}/invites`, { email: 'nope' });
    expect(badEmail.json().error.message).toContain('body.email');
    const badConsent = await call(athlete, 'PUT', `/api/v1/teams/${teamId}/consent`, {
      live: 'yes',
      sessions: true,
      wellness: true,
    });
    expect(badConsent.json().error.message).toContain('body.live');
  });

  it('lists pending invites to the coaches and revokes one, which can then not be accepted', async () => {
    const [coach2, other, invitee] = await Promise.all([
      createUser(t.app, 'coach', 'Coach Two'),
      createUser(t.app, 'coach', 'Other Coach'),
      createUser(t.app, 'athlete', 'Invitee'),
    ]);
    const teamId = await createTeamWith(t.app, coach, [{ user: athlete, consent: ALL }]);
    await t.app.deps.db.prisma.teamMember.create({ data: { teamId, userId: coach2.id, role: 'coach' } });
    const invite = async (by: TestUser, email: string) => {
      const res = await call(by, 'POST', `/api/v1/teams/${teamId}/invites`, { email });
      expect(res.statusCode).toBe(201);
      return res.json().invite as { id: string; code: string };
    };
    const first = await invite(coach, invitee.email);
    const second = await invite(coach2, 'later@example.test');
    const used = await invite(coach, 'used@example.test');
    const expired = await invite(coach, 'expired@example.test');
    await t.app.deps.db.prisma.teamInvite.update({
      where: { id: used.id },
      data: { acceptedAt: new Date(), acceptedById: athlete.id },
    });
    await t.app.deps.db.prisma.teamInvite.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });

    const listed = await call(coach2, 'GET', `/api/v1/teams/${teamId}/invites`);
    expect(listed.statusCode).toBe(200);
    const invites = listed.json().invites as Array<Record<string, unknown>>;
    // Newest first; used and expired ones are left out; no code (or its hash) in sight.
    expect(invites.map((i) => i.id)).toEqual([second.id, first.id]);
    expect(invites[1]).toEqual({
      id: first.id,
      email: invitee.email,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      createdBy: { id: coach.id, name: 'Coach Carter' },
    });
    expect(invites[0]!.createdBy).toEqual({ id: coach2.id, name: 'Coach Two' });
    expect(listed.body).not.toContain(first.code);

    // Only the team's coaches (and admins): not its athlete, not another team's coach.
    expect((await call(athlete, 'GET', `/api/v1/teams/${teamId}/invites`)).statusCode).toBe(403);
    expect((await call(other, 'GET', `/api/v1/teams/${teamId}/invites`)).statusCode).toBe(403);
    const revokeUrl = `/api/v1/teams/${teamId}/invites/${first.id}`;
    expect((await call(athlete, 'DELETE', revokeUrl)).statusCode).toBe(403);
    expect((await call(other, 'DELETE', revokeUrl)).statusCode).toBe(403);
    // An invite of another team is not found through this one.
    const otherTeam = await createTeamWith(t.app, other);
    expect((await call(other, 'DELETE', `/api/v1/teams/${otherTeam}/invites/${first.id}`)).statusCode).toBe(
      404,
    );
    const usedRevoke = await call(coach, 'DELETE', `/api/v1/teams/${teamId}/invites/${used.id}`);
    expect(usedRevoke.statusCode).toBe(410);
    expect(usedRevoke.json().error.code).toBe('INVITE_USED');

    const revoked = await call(coach2, 'DELETE', revokeUrl);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ ok: true });
    expect((await call(coach, 'DELETE', revokeUrl)).statusCode).toBe(200);
    const stored = await t.app.deps.db.prisma.teamInvite.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored.revokedById).toBe(coach2.id);
    expect(
      (await call(coach, 'GET', `/api/v1/teams/${teamId}/invites`))
        .json()
        .invites.map((i: { id: string }) => i.id),
    ).toEqual([second.id]);

    const accept = await call(invitee, 'POST', `/api/v1/invites/${first.code}/accept`, {});
    expect(accept.statusCode).toBe(410);
    expect(accept.json().error).toMatchObject({
      code: 'INVITE_REVOKED',
      message: expect.stringMatching(/revoked/),
    });
    expect((await t.app.inject({ url: `/api/v1/invites/${first.code}` })).json().invite.status).toBe(
      'revoked',
    );
    expect(
      await t.app.deps.db.prisma.teamMember.findUnique({
        where: { teamId_userId: { teamId, userId: invitee.id } },
      }),
    ).toBeNull();
  });

  it('settles a revoke racing an accept one way or the other, never both', async () => {
    for (let round = 0; round < 4; round++) {
      const invitee = await createUser(t.app, 'athlete');
      const teamId = await createTeamWith(t.app, coach);
      const inv = (
        await call(coach, 'POST', `/api/v1/teams/${teamId}/invites`, { email: invitee.email })
      ).json().invite as { id: string; code: string };
      const [accept, revoke] = await Promise.all([
        call(invitee, 'POST', `/api/v1/invites/${inv.code}/accept`, {}),
        call(coach, 'DELETE', `/api/v1/teams/${teamId}/invites/${inv.id}`),
      ]);
      const outcome = [
        accept.statusCode,
        accept.json().error?.code,
        revoke.statusCode,
        revoke.json().error?.code,
      ];
      expect([
        [200, undefined, 410, 'INVITE_USED'],
        [410, 'INVITE_REVOKED', 200, undefined],
      ]).toContainEqual(outcome);
      const row = await t.app.deps.db.prisma.teamInvite.findUniqueOrThrow({ where: { id: inv.id } });
      expect(row.acceptedAt === null).not.toBe(row.revokedAt === null);
      const member = await t.app.deps.db.prisma.teamMember.findUnique({
        where: { teamId_userId: { teamId, userId: invitee.id } },
      });
      expect(member !== null).toBe(row.acceptedAt !== null);
    }
  });

  it('announces withdrawn consent, leaving and removal on access.changed, and hides the profile without consent', async () => {
    const teamId = await createTeamWith(t.app, coach, [{ user: athlete, consent: ALL }]);
    const unchanged = await announcements(() => call(athlete, 'PUT', `/api/v1/teams/${teamId}/consent`, ALL));
    expect(unchanged).toEqual([]);
    const withdrawn = await announcements(async () => {
      const res = await call(athlete, 'PUT', `/api/v1/teams/${teamId}/consent`, {
        live: false,
        sessions: false,
        wellness: true,
      });
      expect(res.json().membership.consent).toEqual({ live: false, sessions: false, wellness: true });
    });
    expect(withdrawn).toEqual([{ athleteId: athlete.id, teamId }]);
    const list = (await call(coach, 'GET', `/api/v1/teams/${teamId}/athletes`)).json().athletes;
    expect(list[0].profile).toBeNull();

    const left = await announcements(async () =>
      expect((await call(athlete, 'DELETE', `/api/v1/teams/${teamId}/membership`)).statusCode).toBe(200),
    );
    expect(left).toEqual([{ athleteId: athlete.id, teamId }]);
    expect((await call(athlete, 'GET', `/api/v1/teams/${teamId}`)).statusCode).toBe(403);

    const team2 = await createTeamWith(t.app, coach, [{ user: athlete, consent: ALL }]);
    const removed = await announcements(async () =>
      expect((await call(coach, 'DELETE', `/api/v1/teams/${team2}/athletes/${athlete.id}`)).statusCode).toBe(
        200,
      ),
    );
    expect(removed).toEqual([{ athleteId: athlete.id, teamId: team2 }]);
    expect((await call(coach, 'DELETE', `/api/v1/teams/${team2}/athletes/${athlete.id}`)).statusCode).toBe(
      404,
    );
    expect((await call(coach, 'DELETE', `/api/v1/teams/${team2}/membership`)).json().error.code).toBe(
      'CONFLICT',
    );
  });

  it("closes a coach's open live subscription within a second of consent being revoked", async () => {
    // Fresh users: the athlete must be watchable through this one team only.
    const [coach, athlete] = await Promise.all([createUser(t.app, 'coach'), createUser(t.app, 'athlete')]);
    const teamId = await createTeamWith(t.app, coach, [{ user: athlete, consent: ALL }]);
    const ws = await t.app.injectWS(`/ws/live?athleteId=${athlete.id}`, { headers: bearer(coach.token) });
    const closed = new Promise<{ code: number; at: number }>((resolve) =>
      ws.once('close', (code: number) => resolve({ code, at: Date.now() })),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(ws.readyState).toBe(ws.OPEN);
    const revokedAt = Date.now();
    await call(athlete, 'PUT', `/api/v1/teams/${teamId}/consent`, {
      live: false,
      sessions: true,
      wellness: true,
    });
    const result = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 1500))]);
    ws.terminate();
    expect(result).not.toBeNull();
    expect(result!.code).toBe(4403);
    expect(result!.at - revokedAt).toBeLessThanOrEqual(1000);
  });
});
