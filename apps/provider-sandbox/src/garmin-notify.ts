import { randomBytes } from 'node:crypto';
import type { GarminSummaryType } from '@athlete/providers';
import type { SandboxContext } from './context.ts';
import { activityDetails, type GarminDay } from './data/garmin-data.ts';
import { localDateOf } from './data/random.ts';

const DAY_S = 86_400;

type Summary = Record<string, unknown> & { summaryId: string };

/** What the sandbox serves per summary type: the summaries of a day and when each was uploaded. */
function summariesOfDay(
  type: GarminSummaryType,
  day: GarminDay,
): { summary: Summary; uploadS: number; startS: number }[] {
  const health = (summary: Summary | null, startS: number) =>
    summary === null ? [] : [{ summary, uploadS: day.uploadS, startS }];
  switch (type) {
    case 'dailies':
      return health(day.daily, day.daily.startTimeInSeconds);
    case 'sleeps':
      return health(day.sleep, day.sleep.startTimeInSeconds);
    case 'hrv':
      return health(day.hrv, day.hrv.startTimeInSeconds);
    case 'stressDetails':
      return health(day.stressDetails, day.stressDetails.startTimeInSeconds);
    case 'userMetrics':
      return health(day.userMetrics, day.daily.startTimeInSeconds);
    case 'skinTemp':
      return health(day.skinTemp, day.skinTemp.startTimeInSeconds);
    case 'allDayRespiration':
      return health(day.respiration, day.respiration.startTimeInSeconds);
    case 'bodyComps':
      return health(day.bodyComp, day.bodyComp?.measurementTimeInSeconds ?? 0);
    case 'activities':
    case 'activityDetails':
      if (day.activity === null || day.activityUploadS === null) return [];
      return [
        {
          summary:
            type === 'activities' ? day.activity : (activityDetails(day.activity) as unknown as Summary),
          uploadS: day.activityUploadS,
          startS: day.activity.startTimeInSeconds,
        },
      ];
    default:
      return [];
  }
}

/** Days whose summaries may fall in [startS, endS) by recording or upload time (uploads lag ≤ 2 days). */
function candidateDays(context: SandboxContext, login: string, startS: number, endS: number): GarminDay[] {
  const user = context.user(login);
  const from = localDateOf((startS - 2 * DAY_S) * 1000, user.offsetMinutes);
  const to = localDateOf((endS + DAY_S) * 1000, user.offsetMinutes);
  return context.garminDays(login, from, to);
}

/** Summaries uploaded in [startS, endS), as a pull (or a ping's callback) returns them. */
export function summariesUploadedIn(
  context: SandboxContext,
  login: string,
  type: GarminSummaryType,
  startS: number,
  endS: number,
): Summary[] {
  const nowS = context.now() / 1000;
  return candidateDays(context, login, startS, endS)
    .flatMap((day) => summariesOfDay(type, day))
    .filter((entry) => entry.uploadS >= startS && entry.uploadS < endS && entry.uploadS <= nowS)
    .map((entry) => entry.summary);
}

/** Summaries recorded in [startS, endS) (backfill semantics). */
export function summariesRecordedIn(
  context: SandboxContext,
  login: string,
  type: GarminSummaryType,
  startS: number,
  endS: number,
): { summary: Summary; uploadS: number }[] {
  const nowS = context.now() / 1000;
  return candidateDays(context, login, startS, endS)
    .flatMap((day) => summariesOfDay(type, day))
    .filter((entry) => entry.startS >= startS && entry.startS < endS && entry.uploadS <= nowS);
}

export function pullToken(context: SandboxContext, login: string): string {
  const token = `pull_${randomBytes(12).toString('base64url')}`;
  context.pullTokens.set(token, login);
  return token;
}

export function apiBase(context: SandboxContext): string {
  return `${context.publicUrl()}${context.options.garminPrefix}/wellness-api/rest`;
}

/** A ping body announcing `type` data uploaded in [startS, endS). */
export function garminPingBody(
  context: SandboxContext,
  login: string,
  type: GarminSummaryType,
  startS: number,
  endS: number,
) {
  const user = context.user(login);
  const url = new URL(`${apiBase(context)}/${type}`);
  url.searchParams.set('uploadStartTimeInSeconds', String(startS));
  url.searchParams.set('uploadEndTimeInSeconds', String(endS));
  url.searchParams.set('token', pullToken(context, login));
  return { [type]: [{ userId: user.garminUserId, callbackURL: url.toString() }] };
}

/** A push body carrying the summaries uploaded in [startS, endS) in full. */
export function garminPushBody(
  context: SandboxContext,
  login: string,
  type: GarminSummaryType,
  startS: number,
  endS: number,
) {
  const user = context.user(login);
  return {
    [type]: summariesUploadedIn(context, login, type, startS, endS).map((summary) => ({
      userId: user.garminUserId,
      ...summary,
    })),
  };
}

/** An `activityFiles` ping for the given activities (one-time download URLs). */
export function garminActivityFilesBody(context: SandboxContext, login: string, activities: Summary[]) {
  const user = context.user(login);
  return {
    activityFiles: activities.map((activity) => {
      const url = new URL(`${apiBase(context)}/activityFile`);
      url.searchParams.set('id', String(activity.activityId));
      url.searchParams.set('token', pullToken(context, login));
      return {
        userId: user.garminUserId,
        summaryId: `${activity.activityId}-file`,
        fileType: 'FIT',
        callbackURL: url.toString(),
        activityType: activity.activityType,
        deviceName: activity.deviceName,
        startTimeInSeconds: activity.startTimeInSeconds,
        activityId: activity.activityId,
        activityName: activity.activityName,
        manual: false,
      };
    }),
  };
}

export interface DeliveryResult {
  status: number;
  body: string;
}

/** POSTs a notification the way Garmin's ping service does. */
export async function postGarminNotification(
  context: SandboxContext,
  url: string,
  body: unknown,
): Promise<DeliveryResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json;charset=UTF-8',
      'garmin-client-id': context.options.garminClient.clientId,
      'user-agent': 'Garmin Health API',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.text() };
}

const BACKFILL_TO_SUMMARY: Record<string, GarminSummaryType> = {
  pulseOx: 'pulseox',
  respiration: 'allDayRespiration',
  moveiq: 'moveIQActivities',
};

export function summaryTypeForBackfill(type: string): GarminSummaryType {
  return BACKFILL_TO_SUMMARY[type] ?? (type as GarminSummaryType);
}

/**
 * Announces backfilled data as Garmin would: one ping (or push) per 24 h upload window that holds
 * any of the requested records, plus activity-file pings for activities.
 */
export async function deliverBackfill(
  context: SandboxContext,
  url: string,
  login: string,
  backfillType: string,
  startS: number,
  endS: number,
): Promise<void> {
  const type = summaryTypeForBackfill(backfillType);
  const records = summariesRecordedIn(context, login, type, startS, endS);
  const windows = [...new Set(records.map((r) => Math.floor(r.uploadS / DAY_S) * DAY_S))].sort(
    (a, b) => a - b,
  );
  for (const windowStart of windows) {
    const body =
      context.options.garminDelivery === 'push'
        ? {
            [type]: records
              .filter((r) => r.uploadS >= windowStart && r.uploadS < windowStart + DAY_S)
              .map((r) => ({ userId: context.user(login).garminUserId, ...r.summary })),
          }
        : garminPingBody(context, login, type, windowStart, windowStart + DAY_S);
    await postGarminNotification(context, url, body);
  }
  if (type === 'activities' && records.length > 0) {
    await postGarminNotification(
      context,
      url,
      garminActivityFilesBody(
        context,
        login,
        records.map((r) => r.summary),
      ),
    );
  }
}
