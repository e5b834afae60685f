import type { TeamReadiness } from '@athlete/contracts';
import { localDay } from '@athlete/core';
import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { planWeek } from '../plans/plan-week.ts';
import { teamAccess } from '../teams/team-access.ts';
import { getAthleteReadiness } from './get-athlete-readiness.ts';
import { getReadinessThreshold } from './get-readiness-threshold.ts';
import { userTimeZone } from './inputs.ts';

const SEVERITY = { rest: 0, keep_it_easy: 1, train_as_planned: 2, push: 3 } as const;

/**
 * The coach's morning check: every athlete of the team with the day's recommendation, reasons,
 * readiness and flags, for those who share wellness data (the rest are listed as not shared),
 * and planned vs done this week for those who share sessions; with wellness, the day's
 * readiness-gated hr_high suggestion and any override confirmed for it.
 * Who needs attention comes first: the most cautious recommendation, then the most flags.
 */
export async function getTeamReadiness(options: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  date?: string;
}): Promise<TeamReadiness> {
  const { deps, teamId } = options;
  await teamAccess({ deps, principal: options.principal, teamId, need: 'coach' });
  // The coach's today (their time zone; UTC without one): the morning they are looking at.
  const date = options.date ?? localDay(Date.now(), await userTimeZone(deps, options.principal.userId));
  const members = await deps.db.prisma.teamMember.findMany({
    where: { teamId, role: 'athlete' },
    include: { user: { select: { id: true, name: true } } },
    orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
  });
  const athletes = [];
  // One athlete at a time: a team of 50 is ~2 s of reads, and the pool stays free for ingest.
  for (const m of members) {
    const readiness = m.consentWellness
      ? await getAthleteReadiness({ deps, athleteId: m.userId, date })
      : null;
    // Planned vs done reads sessions: shown only under the sessions consent.
    const plans = m.consentSessions ? await planWeek({ deps, athleteId: m.userId, teamId, date }) : null;
    const threshold = readiness
      ? await getReadinessThreshold({ deps, athleteId: m.userId, date, readiness })
      : null;
    athletes.push({
      athleteId: m.userId,
      name: m.user.name,
      shared: m.consentWellness,
      readiness,
      plans,
      threshold,
    });
  }
  athletes.sort((a, b) => {
    if (!a.readiness || !b.readiness) return Number(!a.readiness) - Number(!b.readiness);
    return (
      SEVERITY[a.readiness.recommendation] - SEVERITY[b.readiness.recommendation] ||
      b.readiness.today.flags.length - a.readiness.today.flags.length ||
      a.name.localeCompare(b.name)
    );
  });
  return { date, athletes };
}
