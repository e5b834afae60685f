import { localDay } from '@athlete/core';
import ical from 'ical-generator';
import { hashSecret } from '../accounts/tokens.ts';
import { addDays, dayMs, userTimeZone } from '../analytics/inputs.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { athletePlanResults } from './athlete-plan-results.ts';

/** What a feed holds around today: recent history for context, the season ahead. */
const FEED_DAYS_BACK = 31;
const FEED_DAYS_AHEAD = 92;

const sportName = (s: string) => (s === 'team_sport' ? 'Team sport' : `${s[0]!.toUpperCase()}${s.slice(1)}`);

/**
 * The athlete's plans as an iCalendar file of all-day VEVENTs, found by the secret in the feed
 * URL (hashed, then looked up). 404 for a token that is unknown or was revoked or rotated.
 */
export async function renderCalendarFeed({
  deps,
  token,
  now = Date.now(),
}: {
  deps: Deps;
  token: string;
  now?: number;
}): Promise<string> {
  const feed = await deps.db.prisma.calendarFeed.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { athlete: { select: { name: true, disabledAt: true } } },
  });
  if (!feed || feed.athlete.disabledAt) throw new AppError('NOT_FOUND', 'Calendar feed not found');
  const timeZone = await userTimeZone(deps, feed.athleteId);
  const today = localDay(now, timeZone);
  const { plans } = await athletePlanResults({
    deps,
    athleteId: feed.athleteId,
    timeZone,
    from: addDays(today, -FEED_DAYS_BACK),
    to: addDays(today, FEED_DAYS_AHEAD),
    now,
  });
  const cal = ical({ name: `${feed.athlete.name}: training plan`, prodId: '//Athlete Platform//Plans//EN' });
  for (const p of plans) {
    const target = [
      `${p.durationMin} min`,
      p.targetLoad !== null ? `target TRIMP ${p.targetLoad}` : null,
      p.targetZone !== null ? `zone ${p.targetZone}` : null,
    ].filter(Boolean);
    const lines = [
      target.join(', '),
      p.description,
      `Planned by ${p.createdBy?.name ?? 'a coach'} for ${p.athleteId ? 'you' : `team ${p.teamName}`}`,
      p.done
        ? `Done: ${Math.round(p.done.durationMin)} min${p.done.compliance !== null ? `, ${Math.round(p.done.compliance * 100)} % of plan` : ''}`
        : null,
    ].filter(Boolean);
    cal.createEvent({
      id: `plan-${p.id}@athlete-platform`,
      start: new Date(dayMs(p.date)),
      end: new Date(dayMs(addDays(p.date, 1))),
      allDay: true,
      stamp: new Date(p.createdAt),
      summary: `${sportName(p.sport)} ${p.durationMin} min${p.status === 'done' ? ' ✓' : ''}`,
      description: lines.join('\n'),
      categories: [{ name: p.sport }],
    });
  }
  return cal.toString();
}
