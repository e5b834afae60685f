import {
  liveSourceSchema,
  seqRanges,
  type WsBackpressureDetails,
  type WsIngestServerMessage,
  wsIngestClientMessageSchema,
} from '@athlete/contracts';
import type { Logger } from 'pino';
import type { Principal } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { startLiveSession, stopLiveSession } from './control-session.ts';
import { ingestSamples, seqAt } from './ingest.ts';
import type { IngestConnection, LiveParts } from './parts.ts';

/** What the socket adapter gives the protocol: how to answer, how to hang up, where to log. */
export interface IngestSocketPeer {
  principal: Principal;
  send(message: WsIngestServerMessage): void;
  close(code: number, reason: string): void;
  log: Pick<Logger, 'warn' | 'error'>;
}

/** One open `/ws/ingest` connection: feed it each text message, end it when the socket closes. */
export interface IngestStream {
  receive(text: string): void;
  end(): void;
}

/**
 * The `/ws/ingest` protocol. Each message is handled in arrival order; once its samples are
 * committed the server sends `{type:'ack', ranges}` naming exactly that message's seqs (never
 * cumulative: see `wsIngestAckSchema`). Rejected samples are reported in `{type:'rejected'}`
 * and acknowledged too (resending them would not help). When the server cannot buffer more it
 * answers `{type:'error', code:'BACKPRESSURE', details:{seqFrom, seqTo, retryAfterMs}}` and
 * acks none of that message: the client keeps those samples and sends them again later.
 */
export function openIngestStream(parts: LiveParts, peer: IngestSocketPeer): IngestStream {
  const { principal, send } = peer;
  const connection: IngestConnection = { principal, close: peer.close };
  parts.ingestConnections.add(connection);
  let handling: Promise<void> = Promise.resolve();
  let acking: Promise<void> = Promise.resolve();

  const sendError = (err: unknown) => {
    if (err instanceof AppError) {
      send({
        type: 'error',
        code: err.code,
        message: err.message,
        ...(err.details === undefined ? {} : { details: err.details }),
      });
    } else {
      peer.log.error({ err }, 'ws ingest: unexpected error');
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
    const source = liveSourceSchema.safeParse((json as { source?: unknown }).source ?? 'live');
    if (!source.success) throw new AppError('VALIDATION_ERROR', 'source: must be live or simulator');
    if (msg.type === 'session') {
      const session =
        msg.action === 'start'
          ? await startLiveSession({ parts, principal, athleteId: msg.athleteId, source: source.data })
          : await stopLiveSession({ parts, principal, athleteId: msg.athleteId });
      if (!session) throw new AppError('NOT_FOUND', 'No open session to stop');
      return send({
        type: 'session',
        event: msg.action === 'start' ? 'started' : 'stopped',
        athleteId: session.athleteId,
        sessionId: session.id,
        session,
      });
    }
    const seqs = msg.samples.map((_, i) => seqAt(msg.samples, i)).filter((q): q is number => q !== undefined);
    let outcome: Awaited<ReturnType<typeof ingestSamples>>;
    try {
      outcome = await ingestSamples({
        parts,
        principal,
        samples: msg.samples,
        source: source.data,
        transport: 'ws',
        forbidden: 'reject',
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'BACKPRESSURE') throw err;
      // Say exactly which samples were refused, so the client resends those and nothing else.
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
          const seq = seqAt(msg.samples, r.index);
          return seq === undefined ? r : { ...r, seq };
        }),
      });
    }
    const { durable } = outcome;
    // This message's seqs, and only those: its samples are committed (or rejected) once durable resolves.
    const ranges = seqRanges(seqs);
    // Acks go out in message order.
    acking = acking.then(async () => {
      try {
        await durable;
      } catch (err) {
        peer.log.warn({ err }, 'ws ingest: samples could not be stored before shutdown');
        return send({
          type: 'error',
          code: 'SERVICE_UNAVAILABLE',
          message: 'Samples could not be stored; resend them',
        });
      }
      if (ranges.length > 0) send({ type: 'ack', ranges });
    });
  };

  return {
    receive(text) {
      handling = handling.then(() => handle(text)).catch(sendError);
    },
    end() {
      parts.ingestConnections.delete(connection);
    },
  };
}
