import type { ExportFormat } from '@athlete/contracts';
import type { TrainingSession } from '@athlete/db';
import {
  type ActivitySample,
  type ExportActivity,
  encodeFitSession,
  encodeGpxSession,
  encodeTcxSession,
} from '@athlete/providers';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { findViewableSession } from './get-session.ts';
import { readSessionSampleRows } from './read-sample-rows.ts';

export interface SessionFile {
  bytes: Buffer;
  contentType: string;
  filename: string;
}

const CONTENT_TYPE: Record<Exclude<ExportFormat, 'original'>, string> = {
  fit: 'application/vnd.ant.fit',
  gpx: 'application/gpx+xml',
  tcx: 'application/vnd.garmin.tcx+xml',
};

/**
 * `GET /api/v1/sessions/:id/export`: the session written as FIT, GPX or TCX from what is stored
 * (totals, every sample, laps), or the uploaded file it was imported from. Whoever may read the
 * session may download it. 404 when there is no original (not imported from a file); 409 for a
 * GPX of a session without positions (a GPX track needs them).
 */
export async function exportSession({
  deps,
  principal,
  sessionId,
  format,
}: {
  deps: Deps;
  principal: Principal | null;
  sessionId: string;
  format: ExportFormat;
}): Promise<SessionFile> {
  const session = await findViewableSession({ deps, principal, sessionId });
  const base = fileBaseName(session);
  if (format === 'original') return originalFile(deps, session, base);
  if (session.status === 'open') {
    throw new AppError('CONFLICT', 'The session is still running: download it once it has ended');
  }
  const activity = await exportActivity(deps, session);
  if (format === 'fit') {
    return {
      bytes: Buffer.from(encodeFitSession(activity)),
      contentType: CONTENT_TYPE.fit,
      filename: `${base}.fit`,
    };
  }
  if (format === 'tcx') {
    return {
      bytes: Buffer.from(encodeTcxSession(activity)),
      contentType: CONTENT_TYPE.tcx,
      filename: `${base}.tcx`,
    };
  }
  const gpx = encodeGpxSession(activity);
  if (gpx === null) {
    throw new AppError(
      'CONFLICT',
      'This session has no GPS positions and a GPX file is a GPS track: download it as FIT or TCX',
      { field: 'format' },
    );
  }
  return { bytes: Buffer.from(gpx), contentType: CONTENT_TYPE.gpx, filename: `${base}.gpx` };
}

/** "2026-12-03-running" (UTC start and sport): a filename every system accepts. */
function fileBaseName(session: TrainingSession): string {
  const day = session.startedAt.toISOString().slice(0, 16).replace(/[T:]/g, '-');
  const sport = (session.sport ?? 'session').replace(/[^a-z0-9_]/gi, '');
  return `${day}-${sport || 'session'}`;
}

/** The stored upload a file session came from: every leg of a multisport file shares it. */
async function originalFile(deps: Deps, session: TrainingSession, base: string): Promise<SessionFile> {
  const sha256 = session.source === 'file' ? (session.fileGroup ?? session.externalId?.split(':')[0]) : null;
  const raw = sha256
    ? await deps.db.prisma.rawObject.findFirst({
        where: { userId: session.athleteId, source: 'file', externalId: sha256 },
        orderBy: { createdAt: 'desc' },
      })
    : null;
  const bytes = raw ? await deps.platform.objects.get(raw.key) : undefined;
  if (!raw || !bytes) {
    throw new AppError(
      'NOT_FOUND',
      session.source === 'file'
        ? 'The uploaded file of this session is no longer stored'
        : 'This session was not imported from a file: download it as FIT, GPX or TCX',
    );
  }
  const ext = raw.key.split('.').pop() ?? 'bin';
  return { bytes, contentType: raw.contentType, filename: `${base}-original.${ext}` };
}

async function exportActivity(deps: Deps, session: TrainingSession): Promise<ExportActivity> {
  const [rows, laps] = await Promise.all([
    readSessionSampleRows(deps, session),
    deps.db.prisma.sessionLap.findMany({ where: { sessionId: session.id }, orderBy: { lapIndex: 'asc' } }),
  ]);
  const samples = rows.map((r) => {
    const sample: ActivitySample = { ts: new Date(r.ts).getTime() };
    for (const field of ['hr', 'speed', 'cadence', 'power', 'distance', 'lat', 'lon', 'alt'] as const) {
      const value = r[field];
      if (value !== null) sample[field] = value;
    }
    return sample;
  });
  const lastTs = samples.at(-1)?.ts;
  const durationS =
    session.durationS ??
    (lastTs === undefined ? 0 : Math.max(0, (lastTs - session.startedAt.getTime()) / 1000));
  // Only a FIT file's own sport names are FIT names; others go through the platform sport.
  const fromFit = (session.importInfo as { format?: string } | null)?.format === 'fit';
  return {
    name: session.name,
    sport: session.sport,
    sourceSport: fromFit ? session.sourceSport : null,
    sourceSubSport: fromFit ? session.sourceSubSport : null,
    startedAt: session.startedAt,
    durationS,
    movingTimeS: session.movingTimeS,
    distanceM: session.distanceM,
    avgHr: session.avgHr,
    maxHr: session.maxHr,
    avgSpeed: session.avgSpeed,
    maxSpeed: session.maxSpeed,
    totalAscentM: session.totalAscentM,
    calories: session.calories,
    samples,
    // A stored lap is a parsed lap plus its keys.
    laps: laps.map(({ sessionId: _session, lapIndex: _index, ...lap }) => lap),
  };
}
