import type { Plan, Sport } from '@athlete/contracts';
import type { PlannedSession } from '@athlete/db';

export const PLAN_INCLUDE = {
  team: { select: { name: true } },
  athlete: { select: { name: true } },
  createdBy: { select: { id: true, name: true } },
} as const;

export type PlanRow = PlannedSession & {
  team: { name: string };
  athlete: { name: string } | null;
  createdBy: { id: string; name: string } | null;
};

export const planDay = (d: Date) => d.toISOString().slice(0, 10);

export function toPlanOut(row: PlanRow): Plan {
  return {
    id: row.id,
    teamId: row.teamId,
    teamName: row.team.name,
    athleteId: row.athleteId,
    athleteName: row.athlete?.name ?? null,
    date: planDay(row.date),
    sport: row.sport as Sport,
    durationMin: row.durationMin,
    targetLoad: row.targetLoad,
    targetZone: row.targetZone,
    description: row.description,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
