import {
  adminUserResponseSchema,
  adminUsersQuerySchema,
  adminUsersResponseSchema,
  idParamSchema,
  outboxResponseSchema,
} from '@athlete/contracts';
import { listOutbox, listUsers, setUserDisabled } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

const admin: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  app.addHook('preHandler', app.requireRole('admin'));

  app.get(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every account, paged',
        querystring: adminUsersQuerySchema,
        response: { 200: adminUsersResponseSchema },
      },
    },
    async (req) => listUsers({ deps, ...req.query }),
  );

  app.post(
    '/users/:id/disable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable an account: its sessions and ingest keys stop working at once',
        params: idParamSchema,
        response: { 200: adminUserResponseSchema },
      },
    },
    async (req) => ({
      user: await setUserDisabled({ deps, principal: userOf(req), userId: req.params.id, disabled: true }),
    }),
  );

  app.post(
    '/users/:id/enable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Re-enable an account',
        params: idParamSchema,
        response: { 200: adminUserResponseSchema },
      },
    },
    async (req) => ({
      user: await setUserDisabled({ deps, principal: userOf(req), userId: req.params.id, disabled: false }),
    }),
  );

  app.get(
    '/outbox',
    {
      schema: {
        tags: ['admin'],
        summary: 'Mail written to DATA_DIR/outbox because no SMTP_URL is set, newest first',
        response: { 200: outboxResponseSchema },
      },
    },
    async (_req, reply) => {
      // Bodies hold single-use links: never cached on the way.
      reply.header('cache-control', 'no-store');
      return listOutbox({ deps });
    },
  );
};

export default admin;
