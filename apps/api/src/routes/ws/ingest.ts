import type { Principal } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';

/**
 * `WS /ws/ingest`: a stream of samples from a user or an ingest key. The protocol (ordering,
 * acks by range, back-pressure) is the live service's (`LiveService.openIngestStream`); this
 * route checks the credential and adapts the socket.
 */
const wsIngest: FastifyPluginAsyncZod = async (app) => {
  app.get('/ingest', { websocket: true, preHandler: app.requireIngest }, (socket: WebSocket, req) => {
    const stream = app.live.openIngestStream({
      principal: req.principal as Principal,
      send: (message) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      },
      close: (code, reason) => socket.close(code, reason),
      log: req.log,
    });
    // A binary frame is not a message of the protocol: handled as unreadable text.
    socket.on('message', (data, isBinary) => stream.receive(isBinary ? '' : data.toString()));
    socket.on('close', () => stream.end());
  });
};

export default wsIngest;
