import { API_ROUTES, type ApiRoute } from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredRoute } from '../src/plugins/app/auth.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

/**
 * `API_ROUTES` (contracts) is what the web's client types and checks its calls with. Each entry
 * must be the very zod schemas its route registers (Fastify validates bodies and queries with
 * them and serializes responses through them), and every JSON route must have an entry.
 */

/** Routes that answer no JSON for the web to read: files, redirects, provider webhooks. */
const NOT_JSON = new Set([
  'GET /api/v1/calendar/:token.ics',
  'GET /api/v1/integrations/:provider/connect',
  'GET /api/v1/integrations/:provider/callback',
  'GET /api/v1/me/export',
  'GET /api/v1/me/exports/:id/download',
  'GET /api/v1/sessions/:id/export',
  'POST /api/v1/webhooks/whoop',
  'POST /api/v1/webhooks/garmin/:token',
]);

describe('API_ROUTES matches the routes the API registers', () => {
  let t: TestApp;
  let registered: Map<string, RegisteredRoute>;

  beforeAll(async () => {
    t = await buildTestApp();
    registered = new Map(
      t.app.routeRegistry
        .filter((r) => !r.websocket && r.url.startsWith('/api/'))
        .map((r) => [`${r.method} ${r.url}`, r]),
    );
  });
  afterAll(() => t?.close());

  it('lists every JSON route of the API, and no route the API does not have', () => {
    const json = [...registered.keys()].filter((k) => !NOT_JSON.has(k)).sort();
    expect(Object.keys(API_ROUTES).sort()).toEqual(json);
    for (const k of NOT_JSON) expect(registered.has(k), `${k} is still registered`).toBe(true);
  });

  it.each(Object.keys(API_ROUTES) as ApiRoute[])('%s: the body, query and response it registers', (key) => {
    const entry = API_ROUTES[key] as (typeof API_ROUTES)[ApiRoute] & { body?: unknown; query?: unknown };
    const { schema } = registered.get(key)!;
    expect(schema.body, 'body schema').toBe(entry.body);
    expect(schema.querystring, 'query schema').toBe(entry.query);
    const success = Object.keys(schema.response ?? {}).filter((code) => code.startsWith('2'));
    if (entry.response === null) {
      // No body: at most a 204 declared (as null), nothing to parse.
      expect(entry.status).toBe(204);
      expect(success.filter((code) => code !== '204')).toEqual([]);
    } else if (Array.isArray(entry.status)) {
      // One of a few shapes: the union of the registered ones, in the order of `status`.
      expect(success).toEqual(entry.status.map(String));
      const options = (entry.response as unknown as { options: unknown[] }).options;
      expect(options).toHaveLength(entry.status.length);
      entry.status.forEach((code, i) => {
        expect(schema.response![String(code)], `response schema at ${code}`).toBe(options[i]);
      });
    } else {
      expect(success).toEqual([String(entry.status)]);
      expect(schema.response![String(entry.status)], 'response schema').toBe(entry.response);
    }
  });
});
