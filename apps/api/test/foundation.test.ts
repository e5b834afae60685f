import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';

describe.each(['services', 'embedded'] as const)('API foundation (%s mode)', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ mode });
  });
  afterAll(async () => t?.close());

  it('answers /healthz and a request id', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('reports every configured dependency on /readyz', async () => {
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ready');
    expect(body.checks.database).toBe(true);
    if (mode === 'services') expect(body.checks.redis).toBe(true);
    expect(Object.values(body.checks).every(Boolean)).toBe(true);
    expect(t.app.deps.platform.mode).toBe(mode);
    expect(t.app.deps.db.kind).toBe(mode === 'services' ? 'postgres' : 'pglite');
  });

  it('exports process metrics and HTTP histograms on /metrics', async () => {
    await t.app.inject({ url: '/healthz' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('process_cpu_seconds_total');
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} \d+/,
    );
  });

  it('serves an OpenAPI document built from the route schemas', async () => {
    const res = await t.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/readyz');
  });

  it('answers unknown routes with the error envelope', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Route GET /api/v1/nope not found' } });
  });
});
