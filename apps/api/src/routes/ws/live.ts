import { liveQuerySchema, type WsLiveServerMessage, wsLiveClientMessageSchema } from '@athlete/contracts';
import {
  AppError,
  assertCanViewAthlete,
  isTeamMember,
  type LiveWatch,
  type Principal,
  teamExists,
  viewableAthleteIdsForTeam,
} from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';

/**
 * `WS /ws/live?athleteId=…` or `?teamId=…`: a viewer's live feed. Access is checked before the
 * upgrade (401/403/404 as HTTP answers). The server sends a `snapshot`, then one `samples`
 * frame per tick with the tick's samples of every athlete the viewer may see, plus `alert` and
 * `session` events. When access is withdrawn the socket is closed with code 4403.
 */
const wsLive: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/live',
    {
      websocket: true,
      schema: { querystring: liveQuerySchema },
      preHandler: [
        app.requireUser,
        async (req) => {
          const { athleteId, teamId } = req.query as { athleteId?: string; teamId?: string };
          const principal = req.principal as Principal;
          if (athleteId) {
            await assertCanViewAthlete({ deps: app.deps, principal, athleteId, scope: 'live' });
            return;
          }
          if (!(await teamExists(app.deps, teamId!))) throw new AppError('NOT_FOUND', 'Team not found');
          if (!(await isTeamMember(app.deps, principal, teamId!))) {
            throw new AppError('FORBIDDEN', "You are not allowed to watch this team's live data");
          }
        },
      ],
    },
    async (socket: WebSocket, req) => {
      const { athleteId, teamId } = req.query as { athleteId?: string; teamId?: string };
      const principal = req.principal as Principal;
      const live = app.live;
      let watch: LiveWatch | null = null;
      let closed = false;
      socket.on('close', () => {
        closed = true;
        watch?.stop();
      });
      socket.on('message', (data) => {
        const msg = wsLiveClientMessageSchema.safeParse(safeJson(data.toString()));
        if (msg.success && msg.data.type === 'ping')
          socket.send(JSON.stringify({ type: 'pong' } satisfies WsLiveServerMessage));
      });
      const athleteIds = athleteId
        ? [athleteId]
        : await viewableAthleteIdsForTeam({ deps: app.deps, principal, teamId: teamId!, scope: 'live' });
      const athletes = await live.snapshot({ principal, athleteIds });
      if (closed) return;
      socket.send(JSON.stringify({ type: 'snapshot', athletes } satisfies WsLiveServerMessage));
      watch = live.watch({
        socket,
        principal,
        target: athleteId ? { kind: 'athlete', id: athleteId } : { kind: 'team', id: teamId! },
        athleteIds,
      });
    },
  );
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export default wsLive;
