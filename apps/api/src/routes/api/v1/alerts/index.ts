import { alertIdParamsSchema, alertResponseSchema } from '@athlete/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const alerts: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/:id/ack',
    {
      preHandler: app.requireRole('coach', 'admin'),
      schema: {
        tags: ['live'],
        summary: 'Acknowledge an alert (a coach who may watch the athlete, or an admin)',
        params: alertIdParamsSchema,
        response: { 200: alertResponseSchema },
      },
    },
    async (req) => ({
      alert: await app.live.acknowledgeAlert({ principal: req.principal, alertId: req.params.id }),
    }),
  );
};

export default alerts;
