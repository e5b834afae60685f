import {
  normaliseWhoopDays,
  normaliseWhoopWorkout,
  type WhoopClient,
  type WhoopCycle,
  type WhoopPage,
  type WhoopRecovery,
  type WhoopSleep,
  type WhoopWorkout,
  whoopCycleDate,
} from '@athlete/providers';
import { writeProfile } from '../accounts/write-profile.ts';
import type { ProviderSession } from '../connections/provider-session.ts';
import { storeRawResponse } from '../connections/store-raw.ts';
import type { Deps } from '../deps.ts';
import { applyDailyUpdate } from './daily.ts';
import { upsertSession } from './provider-sessions.ts';

type SyncDeps = Pick<Deps, 'config' | 'db' | 'platform' | 'metrics' | 'log'>;

export interface SyncConnection {
  id: string;
  userId: string;
}

export interface SyncProgress {
  phase: string;
  done: number;
  total: number;
  unit: string;
  items: number;
}

export interface SyncOutcome {
  items: number;
  /** Athlete-local dates whose daily rows were written. */
  dates: string[];
  sessions: number;
}

/** How long the body measurement answer is reused (it changes rarely). */
const BODY_CACHE_MS = 6 * 3_600_000;

/** Fetches every page of one WHOOP collection in the range, keeping each page as raw JSON. */
async function collect<T>(
  deps: SyncDeps,
  api: ProviderSession<WhoopClient>,
  connection: SyncConnection,
  kind: string,
  fetchPage: (client: WhoopClient, nextToken: string | undefined) => Promise<WhoopPage<T>>,
): Promise<T[]> {
  const records: T[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  let page = 0;
  do {
    const token = nextToken;
    const result = await api.call((client) => fetchPage(client, token));
    await storeRawResponse({
      deps,
      userId: connection.userId,
      source: 'whoop',
      kind: `${kind}-p${page}`,
      body: { records: result.records, next_token: result.nextToken ?? null },
    });
    records.push(...result.records);
    nextToken = result.nextToken;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) throw new Error(`WHOOP paging loop on ${kind}: next_token repeated`);
      seen.add(nextToken);
    }
    page++;
  } while (nextToken !== undefined);
  return records;
}

/**
 * Body measurement (max HR, weight) fills what the athlete has not declared and follows WHOOP
 * where WHOOP filled it; the answer is cached per connection so frequent syncs do not spend
 * budget on it, and every sync applies it (a field the athlete cleared is filled again).
 */
export async function syncWhoopBody(
  deps: SyncDeps,
  api: ProviderSession<WhoopClient>,
  connection: SyncConnection,
) {
  const cacheKey = `provider:whoop:${connection.id}:body`;
  const cached = await deps.platform.cache.get<{ max_heart_rate: number; weight_kilogram: number }>(cacheKey);
  const body = cached ?? (await api.call((c) => c.getBodyMeasurement()));
  if (!cached) {
    await storeRawResponse({
      deps,
      userId: connection.userId,
      source: 'whoop',
      kind: 'body-measurement',
      body,
    });
  }
  // writeProfile keeps the athlete's own values; an HR max written reaches an open live session.
  await writeProfile({
    deps,
    userId: connection.userId,
    source: 'whoop',
    change: () => ({ hrMax: body.max_heart_rate, weightKg: body.weight_kilogram }),
  });
  // Cached only once written, so a failed profile write is retried by the next sync.
  if (!cached) await deps.platform.cache.set(cacheKey, body, BODY_CACHE_MS);
  return body;
}

/** Writes WHOOP's days (cycle + recovery + main sleep) as whoop DailySummary rows, replacing them. */
export async function writeWhoopDays(
  deps: SyncDeps,
  athleteId: string,
  input: { cycles: WhoopCycle[]; recoveries: WhoopRecovery[]; sleeps: WhoopSleep[] },
): Promise<string[]> {
  const days = normaliseWhoopDays(input);
  const cycleByDate = new Map(input.cycles.map((c) => [whoopCycleDate(c), c.id]));
  const dates: string[] = [];
  for (const day of days) {
    const { date, source: _source, ...fields } = day;
    await applyDailyUpdate({
      deps,
      athleteId,
      date,
      source: 'whoop',
      update: () => ({ fields, data: { cycleId: cycleByDate.get(date) ?? null } }),
    });
    dates.push(date);
  }
  return dates;
}

export async function writeWhoopWorkouts(deps: SyncDeps, athleteId: string, workouts: WhoopWorkout[]) {
  for (const workout of workouts) {
    await upsertSession({ deps, athleteId, session: normaliseWhoopWorkout(workout) });
  }
  return workouts.length;
}

/**
 * Pulls WHOOP cycles, recoveries, sleeps and workouts started in [start, end) with nextToken
 * paging, keeps every page as raw JSON, and writes daily rows and sessions idempotently.
 */
export async function syncWhoopRange({
  deps,
  api,
  connection,
  start,
  end,
  collections = 'all',
  onProgress,
}: {
  deps: SyncDeps;
  api: ProviderSession<WhoopClient>;
  connection: SyncConnection;
  start: Date;
  end?: Date;
  /** `days`: only what daily rows are made of (cycles, recoveries, sleeps). */
  collections?: 'all' | 'days';
  onProgress?: (p: SyncProgress) => Promise<void>;
}): Promise<SyncOutcome> {
  const range = { start, end };
  let items = 0;
  const total = 5;
  const report = (phase: string, done: number) =>
    onProgress?.({ phase, done, total, unit: 'collections', items }) ?? Promise.resolve();

  const all = collections === 'all';
  await report('body', 0);
  if (all) await syncWhoopBody(deps, api, connection);
  await report('cycles', 1);
  const cycles = await collect(deps, api, connection, 'cycle', (c, nextToken) =>
    c.listCycles({ ...range, nextToken }),
  );
  items += cycles.length;
  await report('recoveries', 2);
  const recoveries = await collect(deps, api, connection, 'recovery', (c, nextToken) =>
    c.listRecoveries({ ...range, nextToken }),
  );
  items += recoveries.length;
  await report('sleeps', 3);
  const sleeps = await collect(deps, api, connection, 'sleep', (c, nextToken) =>
    c.listSleeps({ ...range, nextToken }),
  );
  items += sleeps.length;
  await report('workouts', 4);
  const workouts = all
    ? await collect(deps, api, connection, 'workout', (c, nextToken) =>
        c.listWorkouts({ ...range, nextToken }),
      )
    : [];
  items += workouts.length;

  const dates = await writeWhoopDays(deps, connection.userId, { cycles, recoveries, sleeps });
  const sessions = await writeWhoopWorkouts(deps, connection.userId, workouts);
  await report('done', total);
  return { items, dates, sessions };
}
