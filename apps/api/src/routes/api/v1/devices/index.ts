import {
  createDeviceBodySchema,
  createDeviceResponseSchema,
  deviceResponseSchema,
  devicesResponseSchema,
  idParamSchema,
} from '@athlete/contracts';
import { createDevice, listDevices, revokeDevice } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

const devices: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  app.addHook('preHandler', app.requireUser);

  app.post(
    '/',
    {
      preHandler: app.hourlyQuota('device', 'DEVICES_PER_HOUR', 'new devices'),
      schema: {
        tags: ['devices'],
        summary: 'Register a device; its ingest key is in the response, once',
        body: createDeviceBodySchema,
        response: { 201: createDeviceResponseSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createDevice({ deps, principal: userOf(req), input: req.body })),
  );

  app.get(
    '/',
    { schema: { tags: ['devices'], summary: 'Your devices', response: { 200: devicesResponseSchema } } },
    async (req) => ({
      devices: await listDevices({ deps, principal: userOf(req) }),
    }),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags: ['devices'],
        summary: "Revoke a device's key",
        params: idParamSchema,
        response: { 200: deviceResponseSchema },
      },
    },
    async (req) => ({
      device: await revokeDevice({ deps, principal: userOf(req), deviceId: req.params.id }),
    }),
  );
};

export default devices;
