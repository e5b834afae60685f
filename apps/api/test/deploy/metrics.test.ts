import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildTestApp, type TestApp } from '../helpers.ts';
import { repoRoot } from './nginx-harness.ts';

/** Series Prometheus itself makes, not the app. */
const PROMETHEUS_BUILTIN = new Set(['up']);
const PROMQL_WORDS = new Set([
  'sum',
  'by',
  'max',
  'min',
  'rate',
  'increase',
  'histogram_quantile',
  'clamp_min',
  'le',
  'without',
  'avg',
  'count',
]);

/** Metric names a PromQL expression reads (histogram series folded to their family). */
export function metricNames(expr: string): string[] {
  const withoutStrings = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const names = new Set<string>();
  for (const [word] of withoutStrings.matchAll(/\b[a-z_][a-z0-9_]*\b/g)) {
    if (PROMQL_WORDS.has(word) || PROMETHEUS_BUILTIN.has(word)) continue;
    names.add(word.replace(/_(bucket|count|sum)$/, ''));
  }
  return [...names];
}

function queriedMetrics(): Map<string, string[]> {
  const where = new Map<string, string[]>();
  const note = (name: string, from: string) =>
    where.set(name, [...new Set([...(where.get(name) ?? []), from])]);
  const dashboard = JSON.parse(
    readFileSync(join(repoRoot, 'monitoring/grafana/athlete-platform.json'), 'utf8'),
  ) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  for (const panel of dashboard.panels) {
    expect(panel.targets.length, panel.title).toBeGreaterThan(0);
    for (const t of panel.targets) for (const n of metricNames(t.expr)) note(n, `panel "${panel.title}"`);
  }
  const rules = parseYaml(readFileSync(join(repoRoot, 'monitoring/prometheus/alerts.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
  };
  for (const g of rules.groups)
    for (const r of g.rules) for (const n of metricNames(r.expr)) note(n, `alert ${r.alert}`);
  return where;
}

describe('every metric the dashboard and alert rules query is exported', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ mode: 'services' });
  });
  afterAll(async () => t?.close());

  it('reads PromQL the way Prometheus would', () => {
    expect(
      metricNames('sum by (le) (rate(ap_fanout_latency_seconds_bucket{job="x"}[5m])) > 0.5').sort(),
    ).toEqual(['ap_fanout_latency_seconds']);
    expect(metricNames('up{job="athlete-api"} == 0')).toEqual([]);
    expect(
      metricNames('sum by (status_code, route) (rate(http_request_duration_seconds_count[1m]))'),
    ).toEqual(['http_request_duration_seconds']);
    const all = queriedMetrics();
    expect(all.size).toBeGreaterThanOrEqual(12);
    for (const name of ['ap_ingest_samples_total', 'ap_queue_jobs', 'ap_jobs_total', 'ap_live_viewers']) {
      expect(all.has(name), name).toBe(true);
    }
  });

  it('after ingest and a live viewer, /metrics declares each of them', async () => {
    // Exercise the live path so lazily created metrics exist: an athlete, one sample, one viewer.
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email: `metrics-${Date.now()}@example.test`,
        password: 'correct horse battery',
        name: 'M',
        role: 'athlete',
      },
    });
    expect(reg.statusCode).toBe(201);
    const { user, token } = reg.json() as { user: { id: string }; token: string };
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${token}` },
      payload: { samples: [{ ts: Date.now(), seq: 1, hr: 128, speed: 3.1 }] },
    });
    expect(ingest.statusCode).toBe(202);
    const ws = await t.app.injectWS(`/ws/live?athleteId=${user.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });

    const res = await t.app.inject({ url: '/metrics' });
    ws.terminate();
    expect(res.statusCode).toBe(200);
    const declared = new Set([...res.body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const missing = [...queriedMetrics()]
      .filter(([name]) => !declared.has(name))
      .map(([name, from]) => `${name} (queried by ${from.join(', ')})`);
    expect(missing, 'metrics queried by monitoring/ but not exported (see docs/METRICS.md)').toEqual([]);
  });

  it('live gauges follow viewers coming and going even while no samples flow', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email: `gauges-${Date.now()}@example.test`,
        password: 'correct horse battery',
        name: 'G',
        role: 'athlete',
      },
    });
    const { user, token } = reg.json() as { user: { id: string }; token: string };
    const viewersNow = async () => {
      const body = (await t.app.inject({ url: '/metrics' })).body;
      return Number(/^ap_live_viewers (\S+)$/m.exec(body)?.[1]);
    };
    const eventually = async (want: number) => {
      const until = Date.now() + 5_000;
      let seen = await viewersNow();
      while (seen !== want && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await viewersNow();
      }
      return seen;
    };
    const before = await eventually(0);
    expect(before).toBe(0);
    const ws = await t.app.injectWS(`/ws/live?athleteId=${user.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await eventually(1)).toBe(1);
    ws.terminate();
    expect(await eventually(0)).toBe(0);
  });
});
