// Worker-thread entry: parses one activity file away from the API's heap (see parse-in-worker.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { InvalidFileError, parseActivityFile } from '@athlete/providers';

const { bytes, filename, maxPoints } = workerData as {
  bytes: Uint8Array;
  filename?: string;
  maxPoints: number;
};

/** Counts `needle` in the bytes without decoding them (a cheap bound before building a DOM). */
function occurrences(haystack: Buffer, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length))
    count++;
  return count;
}

function tooMany(points: number): InvalidFileError {
  return new InvalidFileError(
    'TOO_MANY_POINTS',
    `holds ${points.toLocaleString('en-US')} points; an import takes at most ${maxPoints.toLocaleString('en-US')}`,
    { filename },
  );
}

try {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const xmlPoints = occurrences(buffer, '<trkpt') + occurrences(buffer, 'Trackpoint>') / 2;
  if (xmlPoints > maxPoints) throw tooMany(Math.round(xmlPoints));
  const parsed = parseActivityFile(bytes, { filename, allowPartial: true });
  const points = parsed.activities.reduce((n, a) => n + a.samples.length, 0);
  if (points > maxPoints) throw tooMany(points);
  parentPort?.postMessage({ ok: true, parsed });
} catch (err) {
  if (err instanceof InvalidFileError) {
    parentPort?.postMessage({ ok: false, code: err.code, message: err.message });
  } else {
    const message = err instanceof Error ? err.message : String(err);
    parentPort?.postMessage({
      ok: false,
      code: 'UNREADABLE',
      message: `${filename ?? 'file'}: could not be read (${message})`,
    });
  }
}
