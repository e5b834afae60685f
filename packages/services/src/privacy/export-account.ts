import { Readable } from 'node:stream';
import { SAMPLE_COLUMNS as ALL_SAMPLE_COLUMNS } from '@athlete/db';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { getMe } from '../accounts/get-me.ts';
import type { Deps } from '../deps.ts';
import { toDeviceView } from '../devices/device-view.ts';
import { hideUnknownAcknowledgers } from '../live/acknowledger-visibility.ts';
import { toAlertOut, WITH_ACKNOWLEDGER } from '../sessions/serialize.ts';
import { accountSamples } from './account-samples.ts';
import { listSampleArchiveKeys } from './archived-samples.ts';
import { type CsvTime, csvLine, DATE_COLUMNS, jsonReplacer, toCsv } from './csv.ts';

const SAMPLE_PAGE = 5_000;
/** athlete_id is the account's own id: left out of its export. */
const SAMPLE_COLUMNS = ALL_SAMPLE_COLUMNS.filter((c) => c !== 'athlete_id');

/** Object-store prefix of everything stored for a user (raw provider payloads, uploads). */
export const accountObjectPrefix = (userId: string) => `accounts/${userId}/`;
/** Where built exports are kept: left out of later exports (an export of exports). */
export const accountExportPrefix = (userId: string) => `${accountObjectPrefix(userId)}exports/`;

/** How far an export is: `done` of `total` parts (record files, sample months, objects). */
export interface ExportProgress {
  done: number;
  total: number;
  phase: string;
}

/** Record parts written before the samples: 6 account files, 9 tables, alerts. */
const RECORD_PARTS = 16;

/**
 * Everything held about a user as a ZIP stream: JSON for every record kind, CSV for the
 * tabular ones (samples only as CSV: they can be millions of rows, and include those of
 * retired months, read back from their archives), and the raw objects themselves under
 * `objects/`. Pull-based, so memory stays bounded by one page of samples (one athlete-month
 * for an archived month).
 */
export async function exportAccount({
  deps,
  userId,
  onProgress,
}: {
  deps: Deps;
  userId: string;
  /** Called as each part starts and once at the end (done = total). */
  onProgress?: (p: ExportProgress) => Promise<void>;
}): Promise<Readable> {
  const me = await getMe({ deps, userId });
  return Readable.from(archive(deps, userId, me, onProgress));
}

/**
 * The months {@link accountSamples} will visit: those with an archive, and those with rows of
 * the athlete in the table (one index probe per month, not a scan).
 */
async function sampleMonths(deps: Deps, userId: string): Promise<number> {
  const months = new Set(
    (await listSampleArchiveKeys(deps.platform.objects)).map((k) => /(\d{4}-\d{2})\.csv\.gz$/.exec(k)?.[1]),
  );
  let from: Date | null = null;
  for (;;) {
    const rows: { ts: Date }[] = await deps.db.query<{ ts: Date }>(
      `SELECT ts FROM samples WHERE athlete_id = $1 ${from ? 'AND ts >= $2' : ''} ORDER BY ts LIMIT 1`,
      from ? [userId, from] : [userId],
    );
    const first = rows[0];
    if (!first) break;
    const month: Date = new Date(Date.UTC(first.ts.getUTCFullYear(), first.ts.getUTCMonth(), 1));
    months.add(month.toISOString().slice(0, 7));
    from = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
  }
  months.delete(undefined);
  return months.size;
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
  onProgress?: (p: ExportProgress) => Promise<void>,
): AsyncGenerator<Uint8Array> {
  const { db, platform } = deps;
  const exports = accountExportPrefix(userId);
  const objectKeys = async () => {
    const indexed = await db.query<{ key: string }>('SELECT key FROM raw_objects WHERE user_id = $1', [
      userId,
    ]);
    const keys = new Set(indexed.map((r) => String(r.key)));
    for await (const o of platform.objects.list(accountObjectPrefix(userId))) keys.add(o.key);
    return [...keys].filter((k) => !k.startsWith(exports)).sort();
  };
  // Counted up front so the user sees a total; objects are listed again at their turn.
  let total = onProgress
    ? RECORD_PARTS + (await sampleMonths(deps, userId)) + (await objectKeys()).length
    : 0;
  let done = 0;
  const step = async (phase: string) => {
    await onProgress?.({ done, total: Math.max(total, done), phase });
    done++;
  };
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

  // CSV times in the person's chosen zone (with its offset); UTC when they left it to the browser.
  const time: CsvTime = { timeZone: me.preferences.timeZone, dateColumns: DATE_COLUMNS };
  const { profile, memberships, ...user } = me;
  await step('your account');
  addFile('user.json', json(user));
  await step('your account');
  addFile('profile.json', json(profile));
  await step('your account');
  addFile('memberships.json', json(memberships));
  await step('devices');
  const devices = await db.prisma.device.findMany({
    where: { ownerId: userId },
    orderBy: { createdAt: 'asc' },
  });
  addFile('devices.json', json(devices.map(toDeviceView)));
  await step('sign-ins');
  addFile(
    'sign_ins.json',
    json(
      await rowsOf(
        'SELECT id, user_agent, ip, created_at, last_used_at, expires_at, revoked_at FROM auth_sessions WHERE user_id = $1 ORDER BY created_at',
      ),
    ),
  );
  await step('teams');
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
    await step(name.replace(/_/g, ' '));
    const rows = await rowsOf(sql);
    addFile(`${name}.json`, json(rows));
    addFile(`${name}.csv`, toCsv(rows, undefined, time));
    yield* flush();
  }
  await step('alerts');
  const alerts = await alertRows(deps, me);
  addFile('alerts.json', json(alerts));
  addFile('alerts.csv', toCsv(alerts, undefined, time));
  yield* flush();

  const samples = new ZipDeflate('samples.csv', { level: 6 });
  zip.add(samples);
  samples.push(strToU8(csvLine(SAMPLE_COLUMNS)));
  let lines: string[] = [];
  const onMonth = async (month: Date) => step(`samples of ${month.toISOString().slice(0, 7)}`);
  for await (const sample of accountSamples(deps, userId, SAMPLE_COLUMNS, onMonth)) {
    lines.push(
      csvLine(
        SAMPLE_COLUMNS.map((c) => sample.values[c]),
        time,
      ),
    );
    if (lines.length >= SAMPLE_PAGE) {
      samples.push(strToU8(lines.join('')));
      lines = [];
      yield* flush();
    }
  }
  samples.push(strToU8(lines.join('')), true);
  yield* flush();

  for (const key of await objectKeys()) {
    await step('stored files');
    const body = await platform.objects.get(key);
    if (body) addFile(`objects/${key}`, body);
    yield* flush();
  }
  zip.end();
  yield* flush();
  total = done;
  await onProgress?.({ done, total, phase: 'finished' });
}
