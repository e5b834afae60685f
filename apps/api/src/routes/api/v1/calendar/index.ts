import { calendarTokenParamsSchema } from '@athlete/contracts';
import { renderCalendarFeed } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** The iCalendar feed: no session, the secret in the URL is the credential (calendar apps poll it). */
const calendar: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:token.ics',
    {
      schema: {
        tags: ['plans'],
        summary: "An athlete's plans as iCalendar (text/calendar), by the feed's secret URL",
        params: calendarTokenParamsSchema,
      },
    },
    async (req, reply) => {
      const ics = await renderCalendarFeed({ deps: app.deps, token: req.params.token });
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header('referrer-policy', 'no-referrer')
        .send(ics);
    },
  );
};

export default calendar;
