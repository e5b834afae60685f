import {
  liveSourceSchema,
  seqRanges,
  type WsBackpressureDetails,
  type WsIngestServerMessage,
  wsIngestClientMessageSchema,
} from '@athlete/contracts';
import {
  AppError,
  type IngestConnection,
  ingestSamples,
  type Principal,
  startLiveSession,
  stopLiveSession,
} from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';

/**
 * `WS /ws/ingest`: a stream of `{type:'samples', samples}` messages from a user or an ingest
 * key. Each message is handled in arrival order; once its samples are committed the server
 * sends `{type:'ack', ranges}` naming exactly that message's seqs (never cumulative: see
 * `wsIngestAckSchema`). Rejected samples are reported in `{type:'rejected', items}` and
 * acknowledged too (resending them would not help). When the server cannot buffer more it
 * answers `{type:'error', code:'BACKPRESSURE', details:{seqFrom, seqTo, retryAfterMs}}` and acks
 * none of that message: the client keeps those samples and sends them again after retryAfterMs.
 */
const wsIngest: FastifyPluginAsyncZod = async (app) => {
  app.get('/ingest', { websocket: true, preHandler: app.requireIngest }, (socket: WebSocket, req) => {
    const principal = req.principal as Principal;
    const live = app.live;
    const connection: IngestConnection = { principal, close: (code, reason) => socket.close(code, reason) };
    live.ingestConnections.add(connection);
    let handling: Promise<void> = Promise.resolve();
    let acking: Promise<void> = Promise.resolve();

    const send = (message: WsIngestServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const sendError = (err: unknown) => {
      if (err instanceof AppError) {
        send({
          type: 'error',
          code: err.code,
          message: err.message,
          ...(err.details === undefined ? {} : { details: err.details }),
        });
      } else {
        req.log.error({ err }, 'ws ingest: unexpected error');
        send({ type: 'error', code: 'INTERNAL', message: 'Internal server error' });
      }
    };

    const handle = async (raw: string) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new AppError('VALIDATION_ERROR', 'message: is not valid JSON');
      }
      const parsed = wsIngestClientMessageSchema.safeParse(json);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({
          field: i.path.map(String).join('.') || 'message',
          message: i.message,
        }));
        throw new AppError(
          'VALIDATION_ERROR',
          details.map((d) => `${d.field}: ${d.message}`).join('; '),
          details,
        );
      }
      const msg = parsed.data;
      if (msg.type === 'ping') return send({ type: 'pong' });
      const sourceField = (json as { source?: unknown }).source;
      const source = liveSourceSchema.safeParse(sourceField ?? 'live');
      if (!source.success) throw new AppError('VALIDATION_ERROR', 'source: must be live or simulator');
      if (msg.type === 'session') {
        if (msg.action === 'start') {
          const session = await startLiveSession({
            live,
            principal,
            athleteId: msg.athleteId,
            source: source.data,
          });
          return send({
            type: 'session',
            event: 'started',
            athleteId: session.athleteId,
            sessionId: session.id,
            session,
          });
        }
        const session = await stopLiveSession({ live, principal, athleteId: msg.athleteId });
        if (!session) throw new AppError('NOT_FOUND', 'No open session to stop');
        return send({
          type: 'session',
          event: 'stopped',
          athleteId: session.athleteId,
          sessionId: session.id,
          session,
        });
      }
      let outcome: Awaited<ReturnType<typeof ingestSamples>>;
      try {
        outcome = await ingestSamples({
          live,
          principal,
          samples: msg.samples,
          source: source.data,
          transport: 'ws',
          forbidden: 'reject',
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'BACKPRESSURE') throw err;
        // Say exactly which samples were refused, so the client resends those and nothing else.
        const seqs = msg.samples
          .map((s) => (s as { seq?: unknown } | null)?.seq)
          .filter((q): q is number => typeof q === 'number');
        const retryAfterMs = Number(err.headers?.['Retry-After'] ?? 1) * 1000;
        return send({
          type: 'error',
          code: err.code,
          message: err.message,
          details: {
            ...(err.details as Pick<WsBackpressureDetails, 'buffered' | 'capacity'>),
            retryAfterMs,
            ...(seqs.length ? { seqFrom: Math.min(...seqs), seqTo: Math.max(...seqs) } : {}),
          } satisfies WsBackpressureDetails,
        });
      }
      if (outcome.rejected.length > 0) {
        send({
          type: 'rejected',
          items: outcome.rejected.map((r) => {
            const seq = (msg.samples[r.index] as { seq?: unknown } | null)?.seq;
            return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? { ...r, seq } : r;
          }),
        });
      }
      const { durable } = outcome;
      // This message's seqs, and only those: its samples are committed (or rejected) once durable resolves.
      const ranges = seqRanges(
        msg.samples
          .map((s) => (s as { seq?: unknown } | null)?.seq)
          .filter((q): q is number => typeof q === 'number' && Number.isSafeInteger(q) && q >= 0),
      );
      // Acks go out in message order.
      acking = acking.then(async () => {
        try {
          await durable;
        } catch (err) {
          req.log.warn({ err }, 'ws ingest: samples could not be stored before shutdown');
          return send({
            type: 'error',
            code: 'SERVICE_UNAVAILABLE',
            message: 'Samples could not be stored; resend them',
          });
        }
        if (ranges.length > 0) send({ type: 'ack', ranges });
      });
    };

    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      handling = handling.then(() => handle(text)).catch(sendError);
    });
    socket.on('close', () => {
      live.ingestConnections.delete(connection);
    });
  });
};

export default wsIngest;
