import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildSandbox } from '../src/app.ts';
import type { SandboxOptions } from '../src/options.ts';

/** A fixed sandbox clock: 2025-06-15 12:00 UTC. */
export const NOW_MS = Date.parse('2025-06-15T12:00:00Z');

export interface RunningSandbox {
  app: FastifyInstance;
  url: string;
  whoopApi: string;
  whoopOAuth: string;
  garminApi: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const app = await buildSandbox({ now: () => NOW_MS, ...options });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    whoopApi: `${url}/whoop/developer`,
    whoopOAuth: `${url}/whoop/oauth/oauth2`,
    garminApi: `${url}/garmin/wellness-api/rest`,
    close: () => app.close(),
  };
}

export interface ReceivedRequest {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A tiny HTTP receiver standing in for our webhook endpoint. */
export async function startReceiver(
  status = 200,
): Promise<{ url: string; received: ReceivedRequest[]; close(): Promise<void> }> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
