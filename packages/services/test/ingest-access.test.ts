import { randomUUID } from 'node:crypto';
import type { Database } from '@athlete/db';
import { databaseTargets } from '@athlete/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canIngestFor, type DevicePrincipal, ingestableAthletes, type Principal } from '../src/index.ts';

describe.each(databaseTargets)(
  'ingestableAthletes: the ingest rule for many athletes in one query ($name)',
  (target) => {
    let db: Database;
    let cleanup: () => Promise<void>;
    /** Counts statements so "one query" is checked, not assumed. */
    let queries = 0;
    const deps = {
      get db(): Database {
        return {
          ...db,
          query: (sql: string, params?: unknown[]) => {
            queries++;
            return db.query(sql, params);
          },
        } as Database;
      },
    };

    const ids = {
      coach: randomUUID(),
      coCoach: randomUUID(),
      admin: randomUUID(),
      consenting: randomUUID(),
      consenting2: randomUUID(),
      noConsent: randomUUID(),
      removed: randomUUID(),
      outsider: randomUUID(),
      otherTeamAthlete: randomUUID(),
      team: randomUUID(),
      otherTeam: randomUUID(),
    };
    const gateway = (ownerId: string, teamId: string | null): DevicePrincipal => ({
      kind: 'device',
      deviceId: randomUUID(),
      ownerId,
      deviceKind: 'gateway',
      athleteId: null,
      teamId,
    });

    beforeAll(async () => {
      ({ db, cleanup } = await target.open());
      const users: Array<[string, string]> = [
        [ids.coach, 'coach'],
        [ids.coCoach, 'coach'],
        [ids.admin, 'admin'],
        [ids.consenting, 'athlete'],
        [ids.consenting2, 'athlete'],
        [ids.noConsent, 'athlete'],
        [ids.removed, 'athlete'],
        [ids.outsider, 'athlete'],
        [ids.otherTeamAthlete, 'athlete'],
      ];
      for (const [id, role] of users) {
        await db.query(
          `INSERT INTO users (id, email, password_hash, name, role) VALUES ($1::uuid, $2, 'x', $2, $3::"Role")`,
          [id, `${id}@test.local`, role],
        );
      }
      await db.query(
        `INSERT INTO teams (id, name, created_by_id) VALUES ($1::uuid, 'T', $2::uuid), ($3::uuid, 'U', $2::uuid)`,
        [ids.team, ids.coach, ids.otherTeam],
      );
      const members: Array<[string, string, string, boolean]> = [
        [ids.team, ids.coach, 'coach', false],
        [ids.team, ids.coCoach, 'coach', false],
        [ids.team, ids.consenting, 'athlete', true],
        [ids.team, ids.consenting2, 'athlete', true],
        [ids.team, ids.noConsent, 'athlete', false],
        [ids.team, ids.removed, 'athlete', true],
        [ids.otherTeam, ids.coach, 'coach', false],
        [ids.otherTeam, ids.otherTeamAthlete, 'athlete', true],
      ];
      for (const [teamId, userId, role, consent] of members) {
        await db.query(
          `INSERT INTO team_members (team_id, user_id, role, consent_live) VALUES ($1::uuid, $2::uuid, $3::"TeamRole", $4)`,
          [teamId, userId, role, consent],
        );
      }
      await db.query('DELETE FROM team_members WHERE team_id = $1::uuid AND user_id = $2::uuid', [
        ids.team,
        ids.removed,
      ]);
    });
    afterAll(() => cleanup?.());

    const everyone = () => [
      ids.consenting,
      ids.consenting2,
      ids.noConsent,
      ids.removed,
      ids.outsider,
      ids.otherTeamAthlete,
      ids.coach,
      'not-a-uuid',
      randomUUID(),
    ];

    it("a team gateway: only the team's athletes with live consent, in one query", async () => {
      const principal = gateway(ids.coach, ids.team);
      queries = 0;
      const allowed = await ingestableAthletes({ deps, principal, athleteIds: everyone() });
      expect(queries).toBe(1);
      expect([...allowed].sort()).toEqual([ids.consenting, ids.consenting2].sort());
      // The one-athlete check is the same rule.
      for (const id of everyone()) {
        expect(await canIngestFor({ deps, principal, athleteId: id }), id).toBe(allowed.has(id));
      }
    });

    it("answers in the caller's spelling of an id, and a repeated id once", async () => {
      const upper = ids.consenting.toUpperCase();
      const allowed = await ingestableAthletes({
        deps,
        principal: gateway(ids.coach, ids.team),
        athleteIds: [upper, ids.consenting, ids.consenting, ids.noConsent],
      });
      expect([...allowed].sort()).toEqual([ids.consenting, upper].sort());
    });

    it("stops once the gateway's owner no longer coaches the team; an admin's gateway keeps working", async () => {
      const outsiderCoach = gateway(ids.coCoach, ids.otherTeam);
      expect(
        await ingestableAthletes({ deps, principal: outsiderCoach, athleteIds: [ids.otherTeamAthlete] }),
      ).toEqual(new Set());
      const admins = gateway(ids.admin, ids.team);
      expect(
        [...(await ingestableAthletes({ deps, principal: admins, athleteIds: everyone() }))].sort(),
      ).toEqual([ids.consenting, ids.consenting2].sort());
      await db.query(
        `UPDATE team_members SET role = 'athlete' WHERE team_id = $1::uuid AND user_id = $2::uuid`,
        [ids.team, ids.coCoach],
      );
      try {
        const demoted = gateway(ids.coCoach, ids.team);
        expect(await ingestableAthletes({ deps, principal: demoted, athleteIds: everyone() })).toEqual(
          new Set(),
        );
        expect(await canIngestFor({ deps, principal: demoted, athleteId: ids.consenting })).toBe(false);
      } finally {
        await db.query(
          `UPDATE team_members SET role = 'coach' WHERE team_id = $1::uuid AND user_id = $2::uuid`,
          [ids.team, ids.coCoach],
        );
      }
    });

    it('withdrawn consent takes effect on the next check', async () => {
      const principal = gateway(ids.coach, ids.team);
      await db.query(
        'UPDATE team_members SET consent_live = false WHERE team_id = $1::uuid AND user_id = $2::uuid',
        [ids.team, ids.consenting2],
      );
      try {
        expect([...(await ingestableAthletes({ deps, principal, athleteIds: everyone() }))]).toEqual([
          ids.consenting,
        ]);
      } finally {
        await db.query(
          'UPDATE team_members SET consent_live = true WHERE team_id = $1::uuid AND user_id = $2::uuid',
          [ids.team, ids.consenting2],
        );
      }
    });

    it('a disabled athlete or gateway owner is not ingestable; re-enabled, they are again', async () => {
      const principal = gateway(ids.coach, ids.team);
      const setDisabled = (userId: string, disabled: boolean) =>
        db.query(`UPDATE users SET disabled_at = ${disabled ? 'now()' : 'NULL'} WHERE id = $1::uuid`, [
          userId,
        ]);
      await setDisabled(ids.consenting2, true);
      try {
        queries = 0;
        expect([...(await ingestableAthletes({ deps, principal, athleteIds: everyone() }))]).toEqual([
          ids.consenting,
        ]);
        expect(queries).toBe(1);
        expect(await canIngestFor({ deps, principal, athleteId: ids.consenting2 })).toBe(false);
        await setDisabled(ids.coach, true);
        expect(await ingestableAthletes({ deps, principal, athleteIds: everyone() })).toEqual(new Set());
        // The owner is the one disabled: the same team's other coach's gateway still works.
        expect(
          await ingestableAthletes({
            deps,
            principal: gateway(ids.coCoach, ids.team),
            athleteIds: [ids.consenting],
          }),
        ).toEqual(new Set([ids.consenting]));
      } finally {
        await setDisabled(ids.coach, false);
        await setDisabled(ids.consenting2, false);
      }
      expect([...(await ingestableAthletes({ deps, principal, athleteIds: everyone() }))].sort()).toEqual(
        [ids.consenting, ids.consenting2].sort(),
      );
    });

    it('personal keys and users write only for themselves, without a query; no principal or team, nothing', async () => {
      const personal: Principal = {
        kind: 'device',
        deviceId: randomUUID(),
        ownerId: ids.consenting,
        deviceKind: 'personal',
        athleteId: ids.consenting,
        teamId: null,
      };
      const user: Principal = {
        kind: 'user',
        userId: ids.noConsent,
        role: 'athlete',
        sessionId: randomUUID(),
        via: 'bearer',
      };
      const coach: Principal = {
        kind: 'user',
        userId: ids.coach,
        role: 'coach',
        sessionId: randomUUID(),
        via: 'bearer',
      };
      queries = 0;
      expect(await ingestableAthletes({ deps, principal: personal, athleteIds: everyone() })).toEqual(
        new Set([ids.consenting]),
      );
      expect(await ingestableAthletes({ deps, principal: user, athleteIds: everyone() })).toEqual(
        new Set([ids.noConsent]),
      );
      // A coach signed in writes for nobody but themselves, not for their athletes.
      expect(await ingestableAthletes({ deps, principal: coach, athleteIds: [ids.consenting] })).toEqual(
        new Set(),
      );
      // A revoked or disabled key resolves to no principal at all.
      expect(await ingestableAthletes({ deps, principal: null, athleteIds: everyone() })).toEqual(new Set());
      expect(
        await ingestableAthletes({ deps, principal: gateway(ids.coach, null), athleteIds: everyone() }),
      ).toEqual(new Set());
      expect(
        await ingestableAthletes({ deps, principal: gateway(ids.coach, ids.team), athleteIds: [] }),
      ).toEqual(new Set());
      expect(queries).toBe(0);
    });
  },
);
