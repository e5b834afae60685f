import {
  acceptInviteBodySchema,
  inviteCodeParamSchema,
  invitePreviewResponseSchema,
  membershipResponseSchema,
} from '@athlete/contracts';
import { acceptInvite, previewInvite } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

const invites: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;

  app.get(
    '/:code',
    {
      schema: {
        tags: ['teams'],
        summary: 'What an invite link is for (public: the code is the capability)',
        params: inviteCodeParamSchema,
        response: { 200: invitePreviewResponseSchema },
      },
    },
    async (req) => ({ invite: await previewInvite({ deps, code: req.params.code }) }),
  );

  app.post(
    '/:code/accept',
    {
      preHandler: app.requireRole('athlete'),
      schema: {
        tags: ['teams'],
        summary: 'Join the team (athlete); consent scopes left out are granted',
        params: inviteCodeParamSchema,
        body: acceptInviteBodySchema,
        response: { 200: membershipResponseSchema },
      },
    },
    async (req) => ({
      membership: await acceptInvite({
        deps,
        principal: userOf(req),
        code: req.params.code,
        consent: req.body?.consent,
      }),
    }),
  );
};

export default invites;
