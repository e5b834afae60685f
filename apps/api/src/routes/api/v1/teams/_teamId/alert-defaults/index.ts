import {
  teamAlertDefaultsBodySchema,
  teamAlertDefaultsResponseSchema,
  teamIdParamsSchema,
} from '@athlete/contracts';
import { getTeamAlertDefaults, setTeamAlertDefaults } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../../plugins/app/auth.ts';

const teamAlertDefaults: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['live'],
        summary:
          "A team's alert thresholds for its athletes (over the server's THRESHOLDS; an athlete's own overrides win)",
        params: teamIdParamsSchema,
        response: { 200: teamAlertDefaultsResponseSchema },
      },
    },
    async (req) => ({
      defaults: await getTeamAlertDefaults({
        deps: app.deps,
        principal: userOf(req),
        teamId: req.params.teamId,
      }),
    }),
  );

  app.put(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['live'],
        summary: "Replace a team's alert defaults (coach); they apply from each athlete's next sample",
        params: teamIdParamsSchema,
        body: teamAlertDefaultsBodySchema,
        response: { 200: teamAlertDefaultsResponseSchema },
      },
    },
    async (req) => ({
      defaults: await setTeamAlertDefaults({
        deps: app.deps,
        principal: userOf(req),
        teamId: req.params.teamId,
        thresholds: req.body.thresholds,
      }),
    }),
  );
};

export default teamAlertDefaults;
