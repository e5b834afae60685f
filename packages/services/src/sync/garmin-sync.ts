import {
  type GarminActivityFilePing,
  type GarminBackfillType,
  type GarminClient,
  type GarminNotification,
  type GarminSummaryOf,
  type GarminSummaryType,
  garminBackfillMaxDays,
  garminPushConfirmationRanges,
  localDate,
  normaliseGarminActivity,
  normaliseGarminDaily,
  normaliseGarminHrv,
  normaliseGarminSleep,
  ProviderRequestError,
  parseActivityFile,
  sessionFromActivity,
} from '@athlete/providers';
import type { ProviderSession } from '../connections/provider-session.ts';
import { storeRawResponse } from '../connections/store-raw.ts';
import type { Deps } from '../deps.ts';
import { applyDailyUpdate, type DailyFields } from './daily.ts';
import { insertActivitySamples, summaryColumns, upsertSession } from './provider-sessions.ts';
import type { SyncConnection, SyncOutcome, SyncProgress } from './whoop-sync.ts';

type SyncDeps = Pick<Deps, 'config' | 'db' | 'platform' | 'metrics' | 'log'>;

/** What a backfill asks Garmin to re-send (Health API 90-day and Activity API 30-day chunks). */
export const GARMIN_BACKFILL_TYPES: GarminBackfillType[] = [
  'dailies',
  'sleeps',
  'hrv',
  'stressDetails',
  'bodyComps',
  'userMetrics',
  'skinTemp',
  'respiration',
  'activities',
  'activityDetails',
];

const DAY_S = 86_400;

/**
 * Asks Garmin to re-send [now − days, now) for every type we read, chunked per type's maximum.
 * Garmin answers 202 and delivers later by ping/push; 409 (already requested) counts as done.
 */
export async function requestGarminBackfill({
  deps: _deps,
  api,
  days,
  now = new Date(),
  onProgress,
}: {
  deps: SyncDeps;
  api: ProviderSession<GarminClient>;
  days: number;
  now?: Date;
  onProgress?: (p: SyncProgress) => Promise<void>;
}): Promise<{ accepted: number; duplicate: number }> {
  const endS = Math.floor(now.getTime() / 1000 / DAY_S) * DAY_S + DAY_S;
  const startS = endS - days * DAY_S;
  const total = GARMIN_BACKFILL_TYPES.reduce(
    (sum, type) => sum + Math.ceil((endS - startS) / (garminBackfillMaxDays(type) * DAY_S)),
    0,
  );
  let done = 0;
  let accepted = 0;
  let duplicate = 0;
  for (const type of GARMIN_BACKFILL_TYPES) {
    await onProgress?.({ phase: `backfill ${type}`, done, total, unit: 'requests', items: accepted });
    const results = await api.call((c) => c.requestBackfill(type, { start: startS, end: endS }));
    for (const r of results) {
      if (r.status === 'accepted') accepted++;
      else duplicate++;
    }
    done += results.length;
  }
  await onProgress?.({ phase: 'requested', done, total, unit: 'requests', items: accepted });
  return { accepted, duplicate };
}

interface ComponentMark {
  summaryId: string;
  startS: number;
  durationS: number;
}

type DayData = Record<string, unknown> & {
  components?: Record<string, ComponentMark>;
  /** From stressDetails: the mean of the day's positive 3-minute stress levels. */
  stress?: { avgStressLevel: number | null };
  /** From dailies: Garmin's own `averageStressLevel` (−1, not enough data, kept as null). */
  dailyStress?: { averageStressLevel: number | null };
  /** From allDayRespiration, per summary (a day may come in several): breaths/min sum and count. */
  respiration?: Record<string, { sum: number; count: number }>;
};

type ReplaceRule = (previous: ComponentMark | undefined, next: ComponentMark) => boolean;

/**
 * Garmin's update rule: a later record of the same type with the same start replaces the earlier
 * one when its duration is at least as long (a shorter one is an older partial upload, ignored);
 * a record with another start is the day's new record and replaces it.
 */
const replaces: ReplaceRule = (previous, next) =>
  previous === undefined || previous.startS !== next.startS || next.durationS >= previous.durationS;

/**
 * Body compositions are separate weigh-ins (no duration), not one record growing: the day
 * keeps its latest measurement by measurement time, so a weigh-in delivered late for an earlier
 * time of that day never displaces a later one. The same measurement re-sent replaces itself.
 */
const replacesWeighIn: ReplaceRule = (previous, next) =>
  previous === undefined || next.startS >= previous.startS;

/** Respiration comes in several summaries a day, each its own share of the day's readings. */
const keepsEveryShare: ReplaceRule = () => true;

const REPLACE_RULES: Record<string, ReplaceRule> = {
  bodyComps: replacesWeighIn,
  allDayRespiration: keepsEveryShare,
};

/**
 * The day's stress average: derived from stressDetails when they give one, else the daily
 * summary's `averageStressLevel`. Details win because they are the day's own 3-minute levels
 * (reference/providers.md §2.4: 1–100, negative codes for off-wrist, motion…, which we leave
 * out), which is how the spec says to get a day's own average HR too (the daily summary's
 * average fields are not described as canonical; its HR one may even span 7 days). Both inputs
 * are kept in `data` and the column is recomputed from them on every write, so the outcome does
 * not depend on the order they arrive in and never flips back and forth.
 */
function dayStress(day: DayData): number | null {
  return day.stress?.avgStressLevel ?? day.dailyStress?.averageStressLevel ?? null;
}

async function writeDayComponent(
  deps: SyncDeps,
  athleteId: string,
  date: string,
  component: string,
  mark: ComponentMark,
  /** Columns to write, or a function of the day's data once this record is in it. */
  fields: DailyFields | ((day: DayData) => DailyFields),
  /** Keys to set in the day's data, or a function of the data stored before this record. */
  extra: Record<string, unknown> | ((stored: DayData) => Record<string, unknown>) = {},
): Promise<boolean> {
  const replace = REPLACE_RULES[component] ?? replaces;
  return applyDailyUpdate({
    deps,
    athleteId,
    date,
    source: 'garmin',
    update: (existing) => {
      const data = (existing?.data ?? {}) as DayData;
      if (!replace(data.components?.[component], mark)) return null;
      const added = typeof extra === 'function' ? extra(data) : extra;
      const day: DayData = { ...data, ...added, components: { ...data.components, [component]: mark } };
      return {
        fields: typeof fields === 'function' ? fields(day) : fields,
        data: JSON.parse(JSON.stringify(day)),
      };
    },
  });
}

/** The day's respiratory rate: the mean of every reading of the day's respiration summaries. */
function dayRespiration(day: DayData): number | null {
  const parts = Object.values(day.respiration ?? {});
  const count = parts.reduce((n, p) => n + p.count, 0);
  return count === 0 ? null : Math.round((parts.reduce((t, p) => t + p.sum, 0) / count) * 100) / 100;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Normalises and writes one type's summaries; returns the athlete-local dates touched. */
export async function applyGarminSummaries<T extends GarminSummaryType>(
  deps: SyncDeps,
  athleteId: string,
  type: T,
  summaries: GarminSummaryOf<T>[],
): Promise<{ dates: string[]; sessions: number }> {
  const dates = new Set<string>();
  let sessions = 0;
  const mark = (s: { summaryId: string; startTimeInSeconds: number; durationInSeconds: number }) => ({
    summaryId: s.summaryId,
    startS: s.startTimeInSeconds,
    durationS: s.durationInSeconds,
  });
  for (const raw of summaries) {
    switch (type) {
      case 'dailies': {
        const s = raw as GarminSummaryOf<'dailies'>;
        const { restingHr, steps, caloriesKcal } = normaliseGarminDaily(s);
        const level = s.averageStressLevel;
        const dailyStress = { averageStressLevel: level !== undefined && level > 0 ? level : null };
        const fields = (day: DayData) => ({ restingHr, steps, caloriesKcal, stressAvg: dayStress(day) });
        if (await writeDayComponent(deps, athleteId, s.calendarDate, type, mark(s), fields, { dailyStress }))
          dates.add(s.calendarDate);
        break;
      }
      case 'sleeps': {
        const s = raw as GarminSummaryOf<'sleeps'>;
        const { sleepDurationS, sleepScore } = normaliseGarminSleep(s);
        if (
          await writeDayComponent(deps, athleteId, s.calendarDate, type, mark(s), {
            sleepDurationS,
            sleepScore,
          })
        )
          dates.add(s.calendarDate);
        break;
      }
      case 'hrv': {
        const s = raw as GarminSummaryOf<'hrv'>;
        const { hrvRmssdMs } = normaliseGarminHrv(s);
        if (await writeDayComponent(deps, athleteId, s.calendarDate, type, mark(s), { hrvRmssdMs }))
          dates.add(s.calendarDate);
        break;
      }
      case 'stressDetails': {
        const s = raw as GarminSummaryOf<'stressDetails'>;
        const levels = Object.values(s.timeOffsetStressLevelValues ?? {}).filter((v) => v > 0);
        const avg = mean(levels);
        const stress = { avgStressLevel: avg === null ? null : Math.round(avg) };
        const fields = (day: DayData) => ({ stressAvg: dayStress(day) });
        if (await writeDayComponent(deps, athleteId, s.calendarDate, type, mark(s), fields, { stress }))
          dates.add(s.calendarDate);
        break;
      }
      case 'skinTemp': {
        const s = raw as GarminSummaryOf<'skinTemp'>;
        const date =
          s.calendarDate ?? localDate(s.startTimeInSeconds * 1000, s.startTimeOffsetInSeconds / 60);
        const m = {
          summaryId: s.summaryId,
          startS: s.startTimeInSeconds,
          durationS: s.durationInSeconds ?? 0,
        };
        const fields = { skinTempDeviationC: s.avgDeviationCelsius ?? null };
        if (await writeDayComponent(deps, athleteId, date, type, m, fields)) dates.add(date);
        break;
      }
      case 'allDayRespiration': {
        const s = raw as GarminSummaryOf<'allDayRespiration'>;
        const date = localDate(s.startTimeInSeconds * 1000, s.startTimeOffsetInSeconds / 60);
        // Garmin marks readings it could not take with negative values, as for stress.
        const breaths = Object.values(s.timeOffsetEpochToBreaths ?? {}).filter((v) => v > 0);
        const share = { sum: breaths.reduce((a, b) => a + b, 0), count: breaths.length };
        const m = {
          summaryId: s.summaryId,
          startS: s.startTimeInSeconds,
          durationS: s.durationInSeconds ?? 0,
        };
        // A summary re-sent replaces its own share; the day's other summaries stay.
        const respiration = (stored: DayData) => ({
          respiration: { ...stored.respiration, [s.summaryId]: share },
        });
        const fields = (day: DayData) => ({ respiratoryRate: dayRespiration(day) });
        if (await writeDayComponent(deps, athleteId, date, type, m, fields, respiration)) dates.add(date);
        break;
      }
      case 'userMetrics': {
        const s = raw as GarminSummaryOf<'userMetrics'>;
        const userMetrics = { vo2Max: s.vo2Max ?? null, fitnessAge: s.fitnessAge ?? null };
        const m = { summaryId: s.summaryId, startS: 0, durationS: 0 };
        if (await writeDayComponent(deps, athleteId, s.calendarDate, type, m, {}, { userMetrics }))
          dates.add(s.calendarDate);
        break;
      }
      case 'bodyComps': {
        const s = raw as GarminSummaryOf<'bodyComps'>;
        const date = localDate(s.measurementTimeInSeconds * 1000, s.measurementTimeOffsetInSeconds / 60);
        const bodyComp = {
          weightKg: s.weightInGrams === undefined ? null : s.weightInGrams / 1000,
          bodyFatPercent: s.bodyFatInPercent ?? null,
          bodyMassIndex: s.bodyMassIndex ?? null,
        };
        const fields = { weightKg: bodyComp.weightKg, bodyFatPct: bodyComp.bodyFatPercent };
        const m = { summaryId: s.summaryId, startS: s.measurementTimeInSeconds, durationS: 0 };
        if (await writeDayComponent(deps, athleteId, date, type, m, fields, { bodyComp })) dates.add(date);
        break;
      }
      case 'activities':
      case 'manuallyUpdatedActivities': {
        await upsertSession({
          deps,
          athleteId,
          session: normaliseGarminActivity(raw as GarminSummaryOf<'activities'>),
        });
        sessions++;
        break;
      }
      case 'activityDetails': {
        const d = raw as GarminSummaryOf<'activityDetails'>;
        const session = normaliseGarminActivity({
          ...d.summary,
          summaryId: d.summaryId,
          activityId: d.activityId ?? d.summary.activityId,
        });
        const samples = d.samples.map((p) => ({
          ts: p.startTimeInSeconds * 1000,
          hr: p.heartRate,
          speed: p.speedMetersPerSecond,
          cadence: p.bikeCadenceInRPM ?? p.stepsPerMinute,
          power: p.powerInWatts,
          distance: p.totalDistanceInMeters,
          lat: p.latitudeInDegree,
          lon: p.longitudeInDegree,
          alt: p.elevationInMeters,
        }));
        const sessionId = await upsertSession({ deps, athleteId, session });
        if (samples.length > 0) {
          await insertActivitySamples(deps, athleteId, sessionId, samples);
          const { columns } = await summaryColumns(deps, athleteId, samples);
          await deps.db.prisma.trainingSession.update({ where: { id: sessionId }, data: columns });
        }
        sessions++;
        break;
      }
      default:
        // Kept as raw JSON; not (yet) normalised.
        break;
    }
  }
  return { dates: [...dates], sessions };
}

/**
 * Downloads an activity file once: a RawObject with the file's summaryId means we have it, and a
 * per-file lock keeps two workers from racing for the one-time URL. The samples go to the
 * activity's session (created from the file if the summary has not arrived yet).
 */
export async function importGarminActivityFile(
  deps: SyncDeps,
  api: ProviderSession<GarminClient>,
  connection: SyncConnection,
  file: GarminActivityFilePing,
): Promise<'imported' | 'already-downloaded' | 'busy'> {
  const outcome = await deps.platform.locks.withLock(`garmin-file:${file.summaryId}`, 300_000, async () => {
    const known = await deps.db.prisma.rawObject.findFirst({
      where: {
        userId: connection.userId,
        source: 'garmin',
        kind: 'activity-file',
        externalId: file.summaryId,
      },
      select: { id: true },
    });
    if (known) return 'already-downloaded' as const;
    let bytes: Uint8Array;
    try {
      bytes = await api.call((c) => c.downloadActivityFile(file.callbackURL));
    } catch (err) {
      // 410: the one download already happened (e.g. before a crash); nothing more to fetch.
      if (err instanceof ProviderRequestError && err.status === 410) return 'already-downloaded' as const;
      throw err;
    }
    const ext = file.fileType.toLowerCase();
    await storeRawResponse({
      deps,
      userId: connection.userId,
      source: 'garmin',
      kind: 'activity-file',
      body: bytes,
      externalId: file.summaryId,
      contentType: ext === 'fit' ? 'application/vnd.ant.fit' : 'application/xml',
      ext,
    });
    const parsed = parseActivityFile(bytes, { filename: `${file.summaryId}.${ext}`, allowPartial: true });
    const externalId = String(file.activityId ?? file.summaryId.replace(/-file$/, ''));
    const existing = await deps.db.prisma.trainingSession.findUnique({
      where: { athleteId_source_externalId: { athleteId: connection.userId, source: 'garmin', externalId } },
      select: { id: true },
    });
    let sessionId = existing?.id;
    // One Garmin activity is one session: the first activity's totals, every activity's samples.
    const first = parsed.activities[0];
    const samples = parsed.activities.flatMap((a) => a.samples);
    if (!sessionId && first) {
      sessionId = await upsertSession({
        deps,
        athleteId: connection.userId,
        session: { ...sessionFromActivity(first, externalId), source: 'garmin' },
      });
    }
    if (sessionId && samples.length > 0) {
      await insertActivitySamples(deps, connection.userId, sessionId, samples);
      const { columns } = await summaryColumns(deps, connection.userId, samples);
      await deps.db.prisma.trainingSession.update({ where: { id: sessionId }, data: columns });
    }
    return 'imported' as const;
  });
  return outcome.acquired ? outcome.value : 'busy';
}

/**
 * Processes one connection's share of a ping/push POST: pings are fetched from their callback
 * URL; pushes are only hints (Garmin signs nothing), so their summaries are pulled from Garmin
 * with the athlete's token and only Garmin's answer is kept. Every batch is kept as raw JSON,
 * then normalised.
 */
export async function processGarminNotifications({
  deps,
  api,
  connection,
  notifications,
  receivedAt = Date.now(),
}: {
  deps: SyncDeps;
  api: ProviderSession<GarminClient>;
  connection: SyncConnection;
  notifications: GarminNotification[];
  /** When the POST arrived (epoch ms): pushes are looked for in uploads up to then. */
  receivedAt?: number;
}): Promise<GarminNotificationOutcome> {
  const outcome: GarminNotificationOutcome = { items: 0, dates: [], sessions: 0, unconfirmed: 0 };
  const dates = new Set<string>();
  const apply = async (type: GarminSummaryType, summaries: unknown[]) => {
    await storeRawResponse({
      deps,
      userId: connection.userId,
      source: 'garmin',
      kind: type,
      body: summaries,
    });
    const result = await applyGarminSummaries(
      deps,
      connection.userId,
      type,
      summaries as GarminSummaryOf<typeof type>[],
    );
    outcome.items += summaries.length;
    outcome.sessions += result.sessions;
    for (const d of result.dates) dates.add(d);
  };

  const pushed = new Map<GarminSummaryType, unknown[]>();
  for (const n of notifications) {
    if (n.kind === 'ping') {
      const summaries = await api.call((c) => c.fetchCallback(n.summaryType, n.callbackURL));
      await apply(n.summaryType, summaries);
    } else if (n.kind === 'push') {
      const list = pushed.get(n.summaryType) ?? [];
      list.push(n.summary);
      pushed.set(n.summaryType, list);
    } else if (n.kind === 'activityFile') {
      const result = await importGarminActivityFile(deps, api, connection, n.file);
      if (result === 'busy')
        throw new Error(`activity file ${n.file.summaryId} is being imported elsewhere; retry`);
      if (result === 'imported') outcome.items++;
    }
  }
  for (const [type, summaries] of pushed) {
    const confirmed = await confirmPushed(api, type, summaries, Math.floor(receivedAt / 1000));
    const unconfirmed = summaries.length - confirmed.length;
    if (unconfirmed > 0) {
      outcome.unconfirmed += unconfirmed;
      deps.log.warn(
        { connectionId: connection.id, type, unconfirmed },
        'garmin push summaries Garmin does not have were dropped',
      );
    }
    if (confirmed.length > 0) await apply(type, confirmed);
  }
  outcome.dates = [...dates];
  return outcome;
}

export interface GarminNotificationOutcome extends SyncOutcome {
  /** Pushed summaries Garmin's own API did not return for this athlete: dropped. */
  unconfirmed: number;
}

const summaryIdOf = (summary: unknown) => (summary as { summaryId?: unknown } | null)?.summaryId;

/**
 * Garmin's own copy of the pushed summaries: pulled with the athlete's token over the upload
 * windows the push could have come from, matched by summary id. A forged or altered push
 * therefore writes nothing but what Garmin holds for this athlete.
 */
async function confirmPushed(
  api: ProviderSession<GarminClient>,
  type: GarminSummaryType,
  pushed: unknown[],
  receivedAtS: number,
): Promise<unknown[]> {
  const wanted = new Set(pushed.map(summaryIdOf).filter((id): id is string => typeof id === 'string'));
  const found = new Map<string, unknown>();
  for (const range of garminPushConfirmationRanges(pushed, receivedAtS)) {
    if (found.size === wanted.size) break;
    const summaries = await api.call((c) => c.pullSummaries(type, { start: range.startS, end: range.endS }));
    for (const summary of summaries) {
      const id = summaryIdOf(summary);
      if (typeof id === 'string' && wanted.has(id)) found.set(id, summary);
    }
  }
  return [...found.values()];
}
