import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Session } from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError, call } from './client.ts';

const SESSION = '00000000-0000-4000-8000-0000000000aa';
const session: Session = {
  id: SESSION,
  athleteId: '00000000-0000-4000-8000-0000000000a1',
  source: 'manual',
  sport: 'running',
  name: null,
  status: 'closed',
  startedAt: '2026-01-01T08:00:00.000Z',
  endedAt: '2026-01-01T09:00:00.000Z',
  durationS: 3600,
  distanceM: null,
  avgHr: null,
  maxHr: null,
  avgSpeed: null,
  maxSpeed: null,
  timeInZonesS: [],
  trimp: null,
};

/**
 * `call` against a real HTTP server standing in for the API: it builds the path from the route
 * key and its parameters, sends the body, and checks the answer against the route's response
 * schema, so an answer the contracts do not describe fails instead of being rendered.
 */
describe('call', () => {
  let server: Server;
  let answer: (req: IncomingMessage, body: string) => { status: number; json?: unknown };
  const seen: Array<{ method?: string; url?: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body });
        const out = answer(req, body);
        res.writeHead(out.status, { 'content-type': 'application/json' });
        res.end(out.json === undefined ? '' : JSON.stringify(out.json));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The SPA's requests are same-origin paths; here the origin is the test server.
    const networkFetch = globalThis.fetch;
    vi.stubGlobal('fetch', (input: string, init?: RequestInit) => networkFetch(new URL(input, base), init));
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fills the path from the route key and answers what the response schema describes', async () => {
    answer = () => ({ status: 200, json: { session: { ...session, name: 'Long run' } } });
    const res = await call('PATCH /api/v1/sessions/:id', {
      params: { id: SESSION },
      body: { name: 'Long run' },
    });
    expect(res.session.name).toBe('Long run');
    expect(seen.at(-1)).toEqual({
      method: 'PATCH',
      url: `/api/v1/sessions/${SESSION}`,
      body: JSON.stringify({ name: 'Long run' }),
    });
  });

  it('passes the query and encodes path parameters', async () => {
    answer = () => ({ status: 200, json: { daily: [] } });
    await call('GET /api/v1/athletes/:athleteId/daily', {
      params: { athleteId: 'a/b' },
      query: { from: '2026-01-01', to: undefined },
    });
    expect(seen.at(-1)?.url).toBe('/api/v1/athletes/a%2Fb/daily?from=2026-01-01');
  });

  it('fails, naming the field, when the answer is not what the route declares', async () => {
    answer = () => ({ status: 200, json: { session: { ...session, durationS: 'an hour' } } });
    const err = await call('GET /api/v1/sessions/:id', { params: { id: SESSION } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
    expect((err as ApiError).message).toMatch(/GET \/api\/v1\/sessions\/:id .*session\.durationS/);
  });

  it('answers nothing for a route without a response body', async () => {
    answer = () => ({ status: 204 });
    await expect(call('DELETE /api/v1/plans/:id', { params: { id: SESSION } })).resolves.toBeUndefined();
  });

  it('keeps the API error envelope of a failed request', async () => {
    answer = () => ({ status: 404, json: { error: { code: 'NOT_FOUND', message: 'Session not found' } } });
    await expect(call('GET /api/v1/sessions/:id', { params: { id: SESSION } })).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      message: 'Session not found',
    });
  });
});
