import { createHash } from 'node:crypto';
import type { Session } from '@athlete/contracts';
import { InvalidFileError, parseActivityFile, sessionFromActivityFile } from '@athlete/providers';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toSessionOut } from '../sessions/serialize.ts';
import { insertActivitySamples, summaryColumns, upsertSession } from '../sync/sessions.ts';

const CONTENT_TYPES = {
  fit: 'application/vnd.ant.fit',
  gpx: 'application/gpx+xml',
  tcx: 'application/vnd.garmin.tcx+xml',
};

/**
 * Imports an uploaded FIT/GPX/TCX file as a closed session of source `file`. The externalId is
 * the SHA-256 of the bytes, so uploading the same file again is a 409 naming the existing
 * session. A corrupt file is a 400 INVALID_FILE naming the problem, and nothing is stored.
 */
export async function importActivityFile({
  deps,
  userId,
  filename,
  bytes,
}: {
  deps: Deps;
  userId: string;
  filename: string | undefined;
  bytes: Buffer;
}): Promise<Session> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const existing = await deps.db.prisma.trainingSession.findUnique({
    where: { athleteId_source_externalId: { athleteId: userId, source: 'file', externalId: sha256 } },
    select: { id: true },
  });
  if (existing) {
    throw new AppError('CONFLICT', 'This file was already imported', { sessionId: existing.id });
  }

  let parsed: ReturnType<typeof parseActivityFile>;
  try {
    parsed = parseActivityFile(bytes, { filename });
  } catch (err) {
    if (err instanceof InvalidFileError) {
      throw new AppError('INVALID_FILE', err.message, { field: 'file', reason: err.code });
    }
    throw err;
  }
  const session = sessionFromActivityFile(parsed, sha256);
  if (!session) {
    throw new AppError('INVALID_FILE', `${filename ?? 'file'}: has no timestamps`, {
      field: 'file',
      reason: 'NO_DATA',
    });
  }

  const key = `accounts/${userId}/imports/${sha256}.${parsed.format}`;
  await deps.platform.objects.put(key, bytes, { contentType: CONTENT_TYPES[parsed.format] });
  await deps.db.prisma.rawObject.upsert({
    where: { key },
    create: {
      userId,
      source: 'file',
      key,
      kind: `import-${parsed.format}`,
      externalId: sha256,
      contentType: CONTENT_TYPES[parsed.format],
      bytes: bytes.length,
      sha256,
    },
    update: {},
  });
  const sessionId = await upsertSession({ deps, athleteId: userId, session });
  if (parsed.samples.length > 0) {
    await insertActivitySamples(deps, userId, sessionId, parsed.samples);
    const { columns, summary } = await summaryColumns(deps, userId, parsed.samples);
    await deps.db.prisma.trainingSession.update({
      where: { id: sessionId },
      data: {
        ...columns,
        avgSpeed: summary.avgSpeed,
        distanceM: session.distanceM ?? summary.distanceM,
        avgHr: session.avgHr ?? summary.avgHr,
        maxHr: session.maxHr ?? summary.maxHr,
      },
    });
  }
  await deps.platform.cache.deletePrefix(`athlete:${userId}:`);
  const row = await deps.db.prisma.trainingSession.findUniqueOrThrow({ where: { id: sessionId } });
  return toSessionOut(row);
}
