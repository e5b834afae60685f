import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers.ts';
import { ACTORS, type Actor, type AuthzRow, matches, routeKey } from './harness.ts';
import { createWorld, newToken, type World } from './world.ts';

const rowsDir = new URL('./rows/', import.meta.url);
const rows = (
  await Promise.all(
    readdirSync(rowsDir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map(async (file) => {
        const mod = (await import(new URL(file, rowsDir).href)) as { default: AuthzRow[] };
        return mod.default.map((row) => ({ file, row }));
      }),
  )
).flat();

function credentialFor(world: World, actor: Actor): string | null {
  switch (actor) {
    case 'anonymous':
      return null;
    case 'boundKey':
      return world.boundKey.key;
    case 'unboundKey':
      return world.unboundKey.key;
    default:
      return world[actor].token;
  }
}

const isUserActor = (a: Actor) => a !== 'anonymous' && a !== 'boundKey' && a !== 'unboundKey';

describe('authorization matrix', () => {
  let t: TestApp;
  let world: World;
  beforeAll(async () => {
    t = await buildTestApp();
    world = await createWorld(t.app);
  });
  afterAll(async () => t?.close());

  it('has exactly one row for every route and WebSocket endpoint', () => {
    const routes = t.app.routeRegistry.map((r) => routeKey(r.method, r.url, r.websocket));
    const declared = rows.map(({ row }) => routeKey(row.method, row.url, row.ws));
    expect(routes.length).toBeGreaterThan(20);
    expect(
      routes.filter((r) => !declared.includes(r)),
      'routes without a row in test/authz/rows/',
    ).toEqual([]);
    expect(
      declared.filter((d) => !routes.includes(d)),
      'rows naming no route',
    ).toEqual([]);
    expect(
      declared.filter((d, i) => declared.indexOf(d) !== i),
      'routes with two rows',
    ).toEqual([]);
  });

  for (const { file, row } of rows) {
    it(`${routeKey(row.method, row.url, row.ws)} (${file})`, async () => {
      const mismatches: string[] = [];
      for (const actor of ACTORS) {
        const spec = (await row.request?.({ app: t.app, world, actor })) ?? {};
        let credential = credentialFor(world, actor);
        if (row.freshSession && isUserActor(actor))
          credential = await newToken(t.app, world[actor as 'athlete'].id);
        const headers: Record<string, string> = {
          ...(credential ? { authorization: `Bearer ${credential}` } : {}),
          ...spec.headers,
        };
        const url = spec.url ?? row.url;
        const status = row.ws
          ? await wsStatus(t, url, headers)
          : await httpStatus(t, row.method, url, headers, spec.payload);
        if (!matches(status, row.expect[actor]))
          mismatches.push(`${actor}: got ${status}, expected ${String(row.expect[actor])}`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});

async function httpStatus(
  t: TestApp,
  method: AuthzRow['method'],
  url: string,
  headers: Record<string, string>,
  payload: unknown,
) {
  const res = await t.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return res.statusCode;
}

/**
 * A WebSocket answer as a status: the HTTP status when the upgrade is refused, 4000-4999 close
 * codes as their last three digits (4403 → 403), 200 when the socket opens and stays open.
 */
async function wsStatus(t: TestApp, url: string, headers: Record<string, string>): Promise<number> {
  try {
    const ws = await t.app.injectWS(url, { headers });
    const closedWith = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 200);
      ws.once('close', (code: number) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    ws.terminate();
    if (closedWith === null) return 200;
    return closedWith >= 4000 && closedWith < 5000 ? closedWith - 4000 : 500;
  } catch (err) {
    const m = /(\d{3})/.exec(String((err as Error).message));
    return m ? Number(m[1]) : 500;
  }
}
