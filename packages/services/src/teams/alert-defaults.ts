import type { TeamAlertDefaults } from '@athlete/contracts';
import { mergeThresholds, parseThresholdOverrides, parseThresholds, ThresholdsError } from '@athlete/core';
import type { Prisma } from '@athlete/db';
import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { publishProfileChanged } from '../live/index.ts';
import { teamAccess } from './team-access.ts';

type Row = {
  thresholds: unknown;
  updatedAt: Date;
  updatedBy: { id: string; name: string } | null;
} | null;

function toView(deps: Deps, teamId: string, row: Row): TeamAlertDefaults {
  // A stored value the rules no longer accept is left out rather than failing the page.
  let thresholds: Record<string, number | null> = {};
  try {
    thresholds = parseThresholdOverrides(row?.thresholds ?? {}) as Record<string, number | null>;
  } catch {}
  const server = parseThresholds(deps.config.THRESHOLDS);
  return {
    teamId,
    thresholds,
    server: { ...server },
    effective: { ...mergeThresholds(server, thresholds) },
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

const SELECT = {
  thresholds: true,
  updatedAt: true,
  updatedBy: { select: { id: true, name: true } },
} as const;

/** A team's alert defaults, for its members (athletes see what applies to them) and admins. */
export async function getTeamAlertDefaults({
  deps,
  principal,
  teamId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
}): Promise<TeamAlertDefaults> {
  await teamAccess({ deps, principal, teamId });
  const row = await deps.db.prisma.teamAlertDefaults.findUnique({ where: { teamId }, select: SELECT });
  return toView(deps, teamId, row);
}

/**
 * Replaces a team's alert defaults (a coach of the team or an admin). Values are checked by the
 * alert engine's own rules; every athlete of the team gets them from the next sample on, under
 * their own overrides.
 */
export async function setTeamAlertDefaults({
  deps,
  principal,
  teamId,
  thresholds: input,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  thresholds: Record<string, number | null>;
}): Promise<TeamAlertDefaults> {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  let thresholds: Record<string, number | null>;
  try {
    thresholds = parseThresholdOverrides(input) as Record<string, number | null>;
  } catch (err) {
    if (err instanceof ThresholdsError) {
      const field = `body.thresholds.${err.field}`;
      const message = err.message.slice(`thresholds.${err.field}: `.length);
      throw new AppError('VALIDATION_ERROR', `${field}: ${message}`, [{ field, message }]);
    }
    throw err;
  }
  const data = {
    thresholds: thresholds as Prisma.InputJsonValue,
    updatedById: principal.userId,
    updatedAt: new Date(),
  };
  const row = await deps.db.prisma.teamAlertDefaults.upsert({
    where: { teamId },
    create: { teamId, ...data },
    update: data,
    select: SELECT,
  });
  const athletes = await deps.db.prisma.teamMember.findMany({
    where: { teamId, role: 'athlete' },
    select: { userId: true },
  });
  // Live processing re-reads each athlete's thresholds (team defaults under their overrides).
  await Promise.all(athletes.map((a) => publishProfileChanged(deps, a.userId)));
  return toView(deps, teamId, row);
}
