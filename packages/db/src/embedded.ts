import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';

/**
 * Embedded Postgres off the main thread: a worker thread (embedded-worker.mjs) owns the PGlite
 * instance and serves it on a unix socket in a fresh private directory; the caller talks to it
 * with node-postgres like to any Postgres. PGlite's WASM then never runs on the caller's event
 * loop. Connections share PGlite's one session: statements run one at a time, whole, and an
 * open transaction keeps the other connections waiting until it ends.
 */
export interface EmbeddedPglite {
  /** node-postgres settings reaching the socket (host is the socket's directory). */
  connection: pg.PoolConfig;
  /** Loads text-format COPY data into `table` inside the session's open transaction. */
  copyFromText(sql: string, text: string): Promise<void>;
  /**
   * Asks the thread to stop serving and close PGlite (flushing it to disk), waits for the thread
   * to end, then removes the socket directory. Safe to call twice and after the thread died.
   */
  close(): Promise<void>;
  /** The thread, for tests that need it to die. */
  readonly worker: Worker;
}

/** The port number is only part of the socket's file name (`.s.PGSQL.<port>`). */
const SOCKET_PORT = 5432;

/** How long a graceful close may take before the thread is terminated. */
const CLOSE_TIMEOUT_MS = 30_000;

const WORKER_URL = new URL('./embedded-worker.mjs', import.meta.url);

// Socket directories of databases still open: removed as well when the process exits without
// closing them (not after a kill signal; they are empty but for the socket).
const openSocketDirs = new Set<string>();
let exitHook = false;
function trackSocketDir(dir: string) {
  openSocketDirs.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const d of openSocketDirs) rmSync(d, { recursive: true, force: true });
  });
}
function removeSocketDir(dir: string) {
  openSocketDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed' | 'fatal'; message: string }
  | { type: 'reply'; id: number; error?: string };

export async function startEmbeddedPglite(
  dataDir: string | undefined,
  opts: { onError?: (message: string) => void } = {},
): Promise<EmbeddedPglite> {
  // A thread that fails must not go unnoticed (queries and ping() fail as well).
  const onError = opts.onError ?? ((message: string) => console.error(message));
  const socketDir = mkdtempSync(join(tmpdir(), 'athlete-pglite-'));
  chmodSync(socketDir, 0o700);
  trackSocketDir(socketDir);
  const worker = new Worker(WORKER_URL, {
    workerData: {
      dataDir,
      socketPath: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`),
    },
    // The thread must not inherit tsx's or vitest's loader flags: it runs plain JavaScript.
    execArgv: [],
  });

  const replies = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<number>((resolve) => {
    worker.once('exit', (code) => {
      exited = true;
      for (const pending of replies.values()) pending.reject(new Error('the embedded database thread ended'));
      replies.clear();
      resolve(code);
    });
  });
  // Without a listener an error in the thread would be thrown in this one.
  worker.on('error', (err) => onError(`embedded database thread failed: ${err.stack ?? err.message}`));

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'ready') resolve();
      else if (msg.type === 'failed') reject(new Error(`embedded database failed to start: ${msg.message}`));
      else if (msg.type === 'fatal') onError(`embedded database thread stopped: ${msg.message}`);
      else if (msg.type === 'reply') {
        const pending = replies.get(msg.id);
        replies.delete(msg.id);
        if (msg.error === undefined) pending?.resolve();
        else pending?.reject(new Error(msg.error));
      }
    });
    void exit.then((code) =>
      reject(new Error(`embedded database thread exited (code ${code}) while starting`)),
    );
  });

  try {
    await ready;
  } catch (err) {
    await worker.terminate();
    removeSocketDir(socketDir);
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    worker,
    connection: { host: socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' },
    copyFromText(sql, text) {
      if (exited) return Promise.reject(new Error('the embedded database thread ended'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        replies.set(id, { resolve, reject });
        worker.postMessage({ type: 'copy', id, sql, text });
      });
    },
    close() {
      closing ??= (async () => {
        try {
          if (exited) return;
          // The thread ends by itself once PGlite is closed and its port with it.
          worker.postMessage({ type: 'close' });
          const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
          try {
            await exit;
          } finally {
            clearTimeout(timer);
          }
        } finally {
          removeSocketDir(socketDir);
        }
      })();
      return closing;
    },
  };
}
