import {
  type ErrorBody,
  MAX_SAMPLES_PER_REQUEST,
  wsIngestClientMessageSchema,
  wsIngestServerMessageSchema,
  wsLiveClientMessageSchema,
  wsLiveServerMessageSchema,
} from '@athlete/contracts';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * The WebSocket messages, from the same zod schemas the server, the web app and the simulator
 * parse with (OpenAPI has no socket operations, so they are named schemas and a description).
 */
const WS_SCHEMAS = {
  WsIngestClientMessage: { schema: wsIngestClientMessageSchema, io: 'input' },
  WsIngestServerMessage: { schema: wsIngestServerMessageSchema, io: 'output' },
  WsLiveClientMessage: { schema: wsLiveClientMessageSchema, io: 'input' },
  WsLiveServerMessage: { schema: wsLiveServerMessageSchema, io: 'output' },
} as const;

export function websocketSchemas(): Record<string, object> {
  return Object.fromEntries(
    Object.entries(WS_SCHEMAS).map(([name, { schema, io }]) => {
      // Transforms (ISO strings to epoch ms) have no JSON Schema: the input side is described.
      const { $schema: _, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
      return [name, json];
    }),
  );
}

const WEBSOCKETS = `
## WebSockets

Both sockets take the REST API's credentials: \`Authorization: Bearer …\` (a session token or an
ingest key), the session cookie, or \`?token=…\`. Messages are JSON text frames; their schemas are
listed under *Schemas* below.

**\`WS /ws/ingest\`**: a device, gateway or the web recorder sends samples.
- Client → server (\`WsIngestClientMessage\`): \`samples\` (up to ${MAX_SAMPLES_PER_REQUEST}, each with its own \`seq\`,
  a non-negative integer the client assigns), \`session\` (\`start\`/\`stop\`), \`ping\`.
- Server → client (\`WsIngestServerMessage\`): \`ack\` with the seq \`ranges\` of one message once its
  samples are committed (never cumulative); \`rejected\` naming each refused sample, its field and
  the reason (also acked: resending would not help); \`error\` \`BACKPRESSURE\` with
  \`seqFrom\`/\`seqTo\`/\`retryAfterMs\` when the server cannot buffer that message (none of it is
  acked: keep it and send it again after the wait); \`session\` answering a start or stop; \`pong\`.
- A sample is stored once per athlete and timestamp, so resending after a reconnect never
  doubles a row. Drop a sample only when an \`ack\` names its seq.

**\`WS /ws/live?teamId=…\`** or **\`?athleteId=…\`**: a coach's or athlete's live view.
- Server → client (\`WsLiveServerMessage\`): \`snapshot\` first (every watched athlete's latest
  state), then one \`samples\` frame per tick with that tick's samples of every watched athlete
  (\`coalesced: true\` marks a catch-up frame after the viewer fell behind), \`alert\` raised,
  cleared or acknowledged, \`session\` started or stopped, \`pong\`.
- Client → server (\`WsLiveClientMessage\`): \`ping\`.
- An athlete who stops sharing leaves the feed at once; the upgrade is refused with 401/403/404
  before any frame when the caller may not watch.
`;

/** OpenAPI document generated from the zod route schemas; UI at /docs, JSON at /docs/json. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Athlete Platform API',
          version: '1',
          description: `Live and historical biometric data for athletes and coaches.\n${WEBSOCKETS}`,
        },
        components: {
          schemas: websocketSchemas(),
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer' },
            cookie: { type: 'apiKey', in: 'cookie', name: 'ap_session' },
          },
        },
        security: [{ bearer: [] }, { cookie: [] }],
      },
      transform: jsonSchemaTransform,
    });
    const open = app.config.API_DOCS_PUBLIC ?? app.config.NODE_ENV !== 'production';
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      // In production the API's map is for signed-in users (the app links it) unless opened up.
      uiHooks: open
        ? {}
        : {
            // The UI's routes sit outside the app's error handler: answer in its envelope here.
            preHandler: async (req, reply) => {
              if (req.principal?.kind === 'user') return;
              const error = { code: 'UNAUTHENTICATED', message: 'Sign in to read the API documentation' };
              return reply.code(401).send({ error } satisfies ErrorBody);
            },
          },
    });
  },
  { name: 'swagger' },
);
