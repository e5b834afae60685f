import { Readable } from 'node:stream';
import { SAMPLE_COLUMNS as ALL_SAMPLE_COLUMNS } from '@athlete/db';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { getMe } from '../accounts/get-me.ts';
import type { Deps } from '../deps.ts';
import { toDeviceView } from '../devices/device-view.ts';
import { hideUnknownAcknowledgers } from '../live/acknowledger-visibility.ts';
import { toAlertOut, WITH_ACKNOWLEDGER } from '../sessions/serialize.ts';
import { accountSamples } from './account-samples.ts';
import { csvLine, jsonReplacer, toCsv } from './csv.ts';

const SAMPLE_PAGE = 5_000;
/** athlete_id is the account's own id: left out of its export. */
const SAMPLE_COLUMNS = ALL_SAMPLE_COLUMNS.filter((c) => c !== 'athlete_id');

/** Object-store prefix of everything stored for a user (raw provider payloads, uploads). */
export const accountObjectPrefix = (userId: string) => `accounts/${userId}/`;

/**
 * Everything held about a user as a ZIP stream: JSON for every record kind, CSV for the
 * tabular ones (samples only as CSV: they can be millions of rows, and include those of
 * retired months, read back from their archives), and the raw objects themselves under
 * `objects/`. Pull-based, so memory stays bounded by one page of samples (one athlete-month
 * for an archived month).
 */
export async function exportAccount({ deps, userId }: { deps: Deps; userId: string }): Promise<Readable> {
  const me = await getMe({ deps, userId });
  return Readable.from(archive(deps, userId, me));
}

/**
 * The athlete's alerts with `acknowledged_by_id` only where the API would name that person to
 * them ({@link hideUnknownAcknowledgers}: a coach of one of their teams; anyone for a coach or
 * admin account), null otherwise (a platform admin, a coach who has left).
 */
async function alertRows(
  deps: Deps,
  me: Awaited<ReturnType<typeof getMe>>,
): Promise<Record<string, unknown>[]> {
  const rows = await deps.db.query<Record<string, unknown>>(
    'SELECT * FROM alerts WHERE athlete_id = $1 ORDER BY started_at',
    [me.id],
  );
  if (!rows.some((r) => r.acknowledged_by_id)) return rows;
  const acknowledged = await deps.db.prisma.alert.findMany({
    where: { athleteId: me.id, acknowledgedById: { not: null } },
    include: WITH_ACKNOWLEDGER,
  });
  const shown = await hideUnknownAcknowledgers({
    deps,
    principal: { kind: 'user', userId: me.id, role: me.role, sessionId: 'export', via: 'cookie' },
    alerts: acknowledged.map(toAlertOut),
  });
  const named = new Set(shown.flatMap((a) => (a.acknowledgedBy ? [`${a.id}|${a.acknowledgedBy.id}`] : [])));
  // A row acknowledged after the check above is not in `named`: left out too.
  return rows.map((r) =>
    r.acknowledged_by_id && !named.has(`${r.id}|${r.acknowledged_by_id}`)
      ? { ...r, acknowledged_by_id: null }
      : r,
  );
}

async function* archive(
  deps: Deps,
  userId: string,
  me: Awaited<ReturnType<typeof getMe>>,
): AsyncGenerator<Uint8Array> {
  const { db, platform } = deps;
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  const flush = function* () {
    if (failure) throw failure;
    while (out.length) yield out.shift()!;
  };
  const addFile = (name: string, content: string | Uint8Array) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(typeof content === 'string' ? strToU8(content) : content, true);
  };
  const json = (v: unknown) => `${JSON.stringify(v, jsonReplacer, 2)}\n`;
  const rowsOf = (sql: string) => db.query<Record<string, unknown>>(sql, [userId]);

  const { profile, memberships, ...user } = me;
  addFile('user.json', json(user));
  addFile('profile.json', json(profile));
  addFile('memberships.json', json(memberships));
  const devices = await db.prisma.device.findMany({
    where: { ownerId: userId },
    orderBy: { createdAt: 'asc' },
  });
  addFile('devices.json', json(devices.map(toDeviceView)));
  addFile(
    'sign_ins.json',
    json(
      await rowsOf(
        'SELECT id, user_agent, ip, created_at, last_used_at, expires_at, revoked_at FROM auth_sessions WHERE user_id = $1 ORDER BY created_at',
      ),
    ),
  );
  addFile(
    'teams_created.json',
    json(await rowsOf('SELECT id, name, created_at FROM teams WHERE created_by_id = $1 ORDER BY created_at')),
  );
  yield* flush();

  for (const [name, sql] of [
    ['training_sessions', 'SELECT * FROM training_sessions WHERE athlete_id = $1 ORDER BY started_at'],
    ['daily_summaries', 'SELECT * FROM daily_summaries WHERE athlete_id = $1 ORDER BY date, source'],
    [
      'provider_connections',
      `SELECT id, provider, provider_user_id, status, scopes, expires_at, last_sync_at, last_error, state, created_at, updated_at
         FROM provider_connections WHERE user_id = $1 ORDER BY created_at`,
    ],
    [
      'sync_runs',
      `SELECT r.* FROM sync_runs r JOIN provider_connections c ON c.id = r.connection_id
        WHERE c.user_id = $1 ORDER BY r.created_at`,
    ],
    ['raw_objects', 'SELECT * FROM raw_objects WHERE user_id = $1 ORDER BY created_at'],
    ['wellness_entries', 'SELECT * FROM wellness_entries WHERE athlete_id = $1 ORDER BY date'],
    ['session_rpe', 'SELECT * FROM session_rpe WHERE athlete_id = $1 ORDER BY created_at'],
    [
      'notes',
      `SELECT n.id, n.athlete_id, n.session_id, n.date, n.author_id, u.name AS author_name, n.body, n.created_at
         FROM notes n JOIN users u ON u.id = n.author_id
        WHERE n.athlete_id = $1 OR n.author_id = $1 ORDER BY n.created_at`,
    ],
    [
      'planned_sessions',
      `SELECT p.* FROM planned_sessions p
        WHERE p.athlete_id = $1
           OR (p.athlete_id IS NULL AND p.team_id IN
               (SELECT team_id FROM team_members WHERE user_id = $1 AND role = 'athlete'))
        ORDER BY p.date`,
    ],
  ] as const) {
    const rows = await rowsOf(sql);
    addFile(`${name}.json`, json(rows));
    addFile(`${name}.csv`, toCsv(rows));
    yield* flush();
  }
  const alerts = await alertRows(deps, me);
  addFile('alerts.json', json(alerts));
  addFile('alerts.csv', toCsv(alerts));
  yield* flush();

  const samples = new ZipDeflate('samples.csv', { level: 6 });
  zip.add(samples);
  samples.push(strToU8(csvLine(SAMPLE_COLUMNS)));
  let lines: string[] = [];
  for await (const sample of accountSamples(deps, userId, SAMPLE_COLUMNS)) {
    lines.push(csvLine(SAMPLE_COLUMNS.map((c) => sample.values[c])));
    if (lines.length >= SAMPLE_PAGE) {
      samples.push(strToU8(lines.join('')));
      lines = [];
      yield* flush();
    }
  }
  samples.push(strToU8(lines.join('')), true);
  yield* flush();

  const indexed = await rowsOf('SELECT key FROM raw_objects WHERE user_id = $1');
  const keys = new Set(indexed.map((r) => String(r.key)));
  for await (const o of platform.objects.list(accountObjectPrefix(userId))) keys.add(o.key);
  for (const key of [...keys].sort()) {
    const body = await platform.objects.get(key);
    if (body) addFile(`objects/${key}`, body);
    yield* flush();
  }
  zip.end();
  yield* flush();
}
