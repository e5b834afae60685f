import { Worker } from 'node:worker_threads';
import type { ParsedActivityFile } from '@athlete/providers';
import { AppError } from '../errors.ts';

/** Points (records) one file may hold: about 55 h at 1 Hz. */
export const MAX_POINTS_PER_FILE = 200_000;
/** The parsing worker's own heap: a file that needs more is refused, the API heap is untouched. */
export const IMPORT_WORKER_HEAP_MB = 384;

const WORKER_URL = new URL('./activity-file-worker.mjs', import.meta.url);

type WorkerAnswer = { ok: true; parsed: ParsedActivityFile } | { ok: false; code: string; message: string };

/**
 * Parses an activity file in a worker thread with its own memory limit, so no upload can run
 * the API out of memory (#12.3). Refusals are 400 INVALID_FILE naming the problem, 413 for a
 * file with more than {@link MAX_POINTS_PER_FILE} points or one that exceeds the worker's heap.
 */
export async function parseActivityFileInWorker({
  bytes,
  filename,
  maxPoints = MAX_POINTS_PER_FILE,
  heapMb = IMPORT_WORKER_HEAP_MB,
}: {
  bytes: Uint8Array;
  filename: string | undefined;
  maxPoints?: number;
  heapMb?: number;
}): Promise<ParsedActivityFile> {
  const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
    const worker = new Worker(WORKER_URL, {
      workerData: { bytes, filename, maxPoints },
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    worker.once('message', (message: WorkerAnswer) => {
      settled = true;
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', (err: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        resolve({
          ok: false,
          code: 'TOO_LARGE_TO_PARSE',
          message: `${filename ?? 'file'}: needs more than the ${heapMb} MB an import may use to be read`,
        });
      } else reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`activity file worker exited with code ${code} before answering`));
    });
  });
  if (answer.ok) return answer.parsed;
  if (answer.code === 'TOO_MANY_POINTS' || answer.code === 'TOO_LARGE_TO_PARSE') {
    throw new AppError('PAYLOAD_TOO_LARGE', answer.message, { field: 'file', reason: answer.code });
  }
  throw new AppError('INVALID_FILE', answer.message, { field: 'file', reason: answer.code });
}
