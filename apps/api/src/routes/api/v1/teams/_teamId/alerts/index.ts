import { alertsQuerySchema, alertsResponseSchema, teamIdParamsSchema } from '@athlete/contracts';
import { listTeamAlerts } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const teamAlerts: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['live'],
        summary: "Alerts of the team's athletes the caller may watch (?active=true: not cleared yet)",
        params: teamIdParamsSchema,
        querystring: alertsQuerySchema,
        response: { 200: alertsResponseSchema },
      },
    },
    async (req) => ({
      alerts: await listTeamAlerts({
        deps: app.deps,
        principal: req.principal,
        teamId: req.params.teamId,
        active: req.query.active,
      }),
    }),
  );
};

export default teamAlerts;
