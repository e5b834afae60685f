import { calendarFeedResponseSchema } from '@athlete/contracts';
import { getCalendarFeed, revokeCalendarFeed, rotateCalendarFeed } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../plugins/app/auth.ts';

/** The athlete's secret iCalendar URL: create or rotate (shown once), see whether one is live, revoke. */
const calendarFeed: FastifyPluginAsyncZod = async (app) => {
  const athlete = app.requireRole('athlete');
  // The feed URL points back at the host the browser used when PUBLIC_URL is not configured.
  const browserOrigin = (req: { protocol: string; host: string }) =>
    app.config.PUBLIC_URL ? undefined : `${req.protocol}://${req.host}`;

  app.get(
    '/',
    {
      preHandler: athlete,
      schema: {
        tags: ['plans'],
        summary: 'Whether the caller has a calendar feed URL',
        response: { 200: calendarFeedResponseSchema },
      },
    },
    async (req) => ({ feed: await getCalendarFeed({ deps: app.deps, principal: userOf(req) }) }),
  );

  app.post(
    '/',
    {
      preHandler: athlete,
      schema: {
        tags: ['plans'],
        summary: 'Make a new secret calendar feed URL (the old one stops working); shown once',
        response: { 201: calendarFeedResponseSchema },
      },
    },
    async (req, reply) => {
      const feed = await rotateCalendarFeed({
        deps: app.deps,
        principal: userOf(req),
        origin: browserOrigin(req),
      });
      return reply.code(201).send({ feed });
    },
  );

  app.delete(
    '/',
    {
      preHandler: athlete,
      schema: {
        tags: ['plans'],
        summary: 'Revoke the calendar feed URL',
        response: { 200: calendarFeedResponseSchema },
      },
    },
    async (req) => ({ feed: await revokeCalendarFeed({ deps: app.deps, principal: userOf(req) }) }),
  );
};

export default calendarFeed;
