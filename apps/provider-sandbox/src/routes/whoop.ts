import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.ts';
import { round, seededRandom } from '../data/random.ts';
import { apiGuard, requireGrant } from './api-guard.ts';
import { registerOAuthRoutes } from './oauth.ts';

const WHOOP_SCOPES =
  'offline read:profile read:body_measurement read:cycles read:recovery read:sleep read:workout';

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(25).default(10),
  start: z.iso.datetime({ offset: true }).optional(),
  end: z.iso.datetime({ offset: true }).optional(),
  nextToken: z.string().optional(),
});

const whoopError = (error: string, message: string) => ({ error, message });

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send(whoopError('bad_request', message));
}

function hasScope(request: FastifyRequest, scope: string): boolean {
  return requireGrant(request).scope.split(/\s+/).includes(scope);
}

/**
 * WHOOP paging: newest first, `start` inclusive, `end` exclusive (defaults to now), `limit` ≤ 25,
 * `nextToken` opaque. Tokens encode the offset plus the filter, so a token is refused with
 * other filters.
 */
function paginate<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  records: readonly T[],
  startOf: (record: T) => string,
  nowMs: number,
) {
  const parsed = pageQuery.safeParse(request.query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return badRequest(reply, `invalid query parameter ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { limit, start, end, nextToken } = parsed.data;
  const startMs = start === undefined ? Number.NEGATIVE_INFINITY : Date.parse(start);
  const endMs = end === undefined ? nowMs : Date.parse(end);
  const filter = `${start ?? ''}|${end ?? ''}`;
  let offset = 0;
  if (nextToken !== undefined) {
    const decoded = /^(\d+)\|(.*)$/s.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (decoded === null || decoded[2] !== filter) return badRequest(reply, 'invalid nextToken');
    offset = Number(decoded[1]);
  }
  const matching = records.filter((record) => {
    const recordStart = Date.parse(startOf(record));
    return recordStart >= startMs && recordStart < endMs;
  });
  const page = matching.slice(offset, offset + limit);
  const nextOffset = offset + page.length;
  return {
    records: page,
    ...(nextOffset < matching.length
      ? { next_token: Buffer.from(`${nextOffset}|${filter}`).toString('base64url') }
      : {}),
  };
}

/** WHOOP v2 look-alike: OAuth under `{prefix}/oauth/oauth2`, API under `{prefix}/developer`. */
export function registerWhoopRoutes(app: FastifyInstance, context: SandboxContext): void {
  const { whoopPrefix: prefix, whoopClient: client } = context.options;

  registerOAuthRoutes(app, context, {
    provider: 'whoop',
    providerName: 'WHOOP',
    client,
    authorizePath: `${prefix}/oauth/oauth2/auth`,
    tokenPath: `${prefix}/oauth/oauth2/token`,
    accessTtlS: context.options.whoopAccessTokenTtlS,
    pkce: false,
    minStateLength: 8,
    defaultScope: WHOOP_SCOPES,
    tokenResponse: (issued) => ({
      access_token: issued.accessToken,
      ...(issued.grant.scope.split(/\s+/).includes('offline') ? { refresh_token: issued.refreshToken } : {}),
      expires_in: issued.expiresInS,
      scope: issued.grant.scope,
      token_type: 'bearer',
    }),
  });

  app.register(
    async (api) => {
      api.addHook('onRequest', apiGuard(context, 'whoop', whoopError));

      const scoped =
        (scope: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) =>
        async (request: FastifyRequest, reply: FastifyReply) => {
          if (!hasScope(request, scope)) {
            return reply.code(403).send(whoopError('insufficient_scope', `token lacks scope ${scope}`));
          }
          return handler(request, reply);
        };
      const data = (request: FastifyRequest) => context.whoopData(requireGrant(request).login);
      const notFound = (reply: FastifyReply, what: string) =>
        reply.code(404).send(whoopError('not_found', `${what} not found`));

      api.get(
        '/v2/user/profile/basic',
        scoped('read:profile', (request) => {
          const login = requireGrant(request).login;
          const user = context.user(login);
          return {
            user_id: user.whoopUserId,
            email: `${login}@sandbox.test`,
            first_name: login.charAt(0).toUpperCase() + login.slice(1),
            last_name: 'Sandbox',
          };
        }),
      );

      api.get(
        '/v2/user/measurement/body',
        scoped('read:body_measurement', (request) => {
          const login = requireGrant(request).login;
          const rng = seededRandom(`${login}|body`);
          return {
            height_meter: round(rng.between(1.6, 1.95), 4),
            weight_kilogram: round(rng.between(55, 92), 4),
            max_heart_rate: rng.int(178, 202),
            ...context.whoopBodyChanges.get(login),
          };
        }),
      );

      api.get(
        '/v2/cycle',
        scoped('read:cycles', (request, reply) =>
          paginate(request, reply, data(request).cycles, (c) => c.start, context.now()),
        ),
      );
      api.get(
        '/v2/recovery',
        scoped('read:recovery', (request, reply) => {
          const dataset = data(request);
          return paginate(
            request,
            reply,
            dataset.recoveries,
            (r) => dataset.recoverySortKey.get(r.cycle_id) ?? '',
            context.now(),
          );
        }),
      );
      api.get(
        '/v2/activity/sleep',
        scoped('read:sleep', (request, reply) =>
          paginate(request, reply, data(request).sleeps, (s) => s.start, context.now()),
        ),
      );
      api.get(
        '/v2/activity/workout',
        scoped('read:workout', (request, reply) =>
          paginate(request, reply, data(request).workouts, (w) => w.start, context.now()),
        ),
      );

      const cycleId = (request: FastifyRequest) => Number((request.params as { cycleId: string }).cycleId);
      api.get(
        '/v2/cycle/:cycleId',
        scoped(
          'read:cycles',
          (request, reply) =>
            data(request).cycles.find((c) => c.id === cycleId(request)) ?? notFound(reply, 'cycle'),
        ),
      );
      api.get(
        '/v2/cycle/:cycleId/recovery',
        scoped(
          'read:recovery',
          (request, reply) =>
            data(request).recoveries.find((r) => r.cycle_id === cycleId(request)) ??
            notFound(reply, 'recovery'),
        ),
      );
      api.get(
        '/v2/cycle/:cycleId/sleep',
        scoped(
          'read:sleep',
          (request, reply) =>
            data(request).sleeps.find((s) => s.cycle_id === cycleId(request)) ?? notFound(reply, 'sleep'),
        ),
      );
      api.get(
        '/v2/activity/sleep/:sleepId',
        scoped('read:sleep', (request, reply) => {
          const { sleepId } = request.params as { sleepId: string };
          return data(request).sleeps.find((s) => s.id === sleepId) ?? notFound(reply, 'sleep');
        }),
      );
      api.get(
        '/v2/activity/workout/:workoutId',
        scoped('read:workout', (request, reply) => {
          const { workoutId } = request.params as { workoutId: string };
          return data(request).workouts.find((w) => w.id === workoutId) ?? notFound(reply, 'workout');
        }),
      );

      api.delete('/v2/user/access', async (request, reply) => {
        context.tokens.revokeUser('whoop', requireGrant(request).login);
        return reply.code(204).send();
      });
    },
    { prefix: `${prefix}/developer` },
  );
}
