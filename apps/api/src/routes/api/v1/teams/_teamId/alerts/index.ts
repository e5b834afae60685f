import { alertsResponseSchema, teamAlertsQuerySchema, teamIdParamsSchema } from '@athlete/contracts';
import { listTeamAlerts } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const teamAlerts: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['live'],
        summary:
          "Alerts of the team's athletes the caller may watch, newest first, filtered (?from&to&rule&athleteId&sessionId&state) and paged",
        params: teamIdParamsSchema,
        querystring: teamAlertsQuerySchema,
        response: { 200: alertsResponseSchema },
      },
    },
    async (req) =>
      listTeamAlerts({ deps: app.deps, principal: req.principal, teamId: req.params.teamId, ...req.query }),
  );
};

export default teamAlerts;
