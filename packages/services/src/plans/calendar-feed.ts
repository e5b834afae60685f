import type { CalendarFeed } from '@athlete/contracts';
import type { UserPrincipal } from '../access/index.ts';
import { hashSecret, newSecret } from '../accounts/tokens.ts';
import { publicBaseUrl } from '../connections/provider-config.ts';
import type { Deps } from '../deps.ts';

const FEED_TOKEN_PREFIX = 'apc_';

export const calendarFeedUrl = (base: string, token: string) => `${base}/api/v1/calendar/${token}.ics`;

/** Whether the caller has a live feed URL (never the URL itself: only its hash is kept). */
export async function getCalendarFeed({
  deps,
  principal,
}: {
  deps: Deps;
  principal: UserPrincipal;
}): Promise<CalendarFeed> {
  const row = await deps.db.prisma.calendarFeed.findUnique({ where: { athleteId: principal.userId } });
  return { active: row !== null, createdAt: row?.createdAt.toISOString() ?? null };
}

/**
 * Makes the caller's secret feed URL, or a new one in place of the old (which stops working at
 * once). The URL is in this answer only. `origin`: the browser's, when PUBLIC_URL is not set.
 */
export async function rotateCalendarFeed({
  deps,
  principal,
  origin,
}: {
  deps: Deps;
  principal: UserPrincipal;
  origin?: string;
}): Promise<CalendarFeed> {
  const token = newSecret(FEED_TOKEN_PREFIX);
  const tokenHash = hashSecret(token);
  const row = await deps.db.prisma.calendarFeed.upsert({
    where: { athleteId: principal.userId },
    create: { athleteId: principal.userId, tokenHash },
    update: { tokenHash, createdAt: new Date() },
  });
  return {
    active: true,
    createdAt: row.createdAt.toISOString(),
    url: calendarFeedUrl(publicBaseUrl(deps.config, origin), token),
  };
}

/** Revokes the caller's feed URL: calendar apps polling it get 404 from now on. */
export async function revokeCalendarFeed({
  deps,
  principal,
}: {
  deps: Deps;
  principal: UserPrincipal;
}): Promise<CalendarFeed> {
  await deps.db.prisma.calendarFeed.deleteMany({ where: { athleteId: principal.userId } });
  return { active: false, createdAt: null };
}
