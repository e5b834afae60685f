import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
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
 *
 * A CancelRequest is read and its connection closed, but nothing is interrupted: PGlite runs a
 * statement synchronously in the thread, which reads the request only after the statement ends.
 * node-postgres `query_timeout` therefore fails the query on the client side while the statement
 * runs on to its end.
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
const SOCKET_NAME = `.s.PGSQL.${SOCKET_PORT}`;
const SOCKET_DIR_PREFIX = 'athlete-pglite-';
/** In the socket directory: the pid of the process that made it, to find directories a kill left behind. */
const OWNER_FILE = 'owner.pid';
/**
 * Longest unix socket path in bytes: `sun_path` holds 108 bytes on Linux, 104 on macOS and the
 * BSDs, including the closing NUL. Node truncates a longer path silently and binds the socket
 * somewhere else (outside the private directory), so it must never be asked to.
 */
const SOCKET_PATH_MAX = (process.platform === 'linux' ? 108 : 104) - 1;

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

/**
 * A fresh private directory for the socket: under os.tmpdir() when the socket's path fits the
 * limit there, else under /tmp. Stale directories there are removed first.
 */
async function createSocketDir(): Promise<string> {
  const candidates = [...new Set([tmpdir(), '/tmp'])];
  const tooLong: string[] = [];
  for (const parent of candidates) {
    // mkdtemp appends six characters to the prefix.
    const longest = join(parent, `${SOCKET_DIR_PREFIX}XXXXXX`, SOCKET_NAME);
    if (Buffer.byteLength(longest) > SOCKET_PATH_MAX) {
      tooLong.push(parent);
      continue;
    }
    await removeStaleSocketDirs(parent);
    const dir = mkdtempSync(join(parent, SOCKET_DIR_PREFIX));
    chmodSync(dir, 0o700);
    writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
    return dir;
  }
  throw new Error(
    `no directory for the embedded database's unix socket: the socket path under ${tooLong.join(' and ')} ` +
      `would exceed the ${SOCKET_PATH_MAX}-byte limit for unix socket paths; set TMPDIR to a shorter directory`,
  );
}

/**
 * Removes this user's socket directories in `parent` whose process is gone (a kill skips the
 * exit hook). A directory stays when its owner file is missing (its process may be starting
 * right now), its pid is alive, or its socket still accepts connections (a live process whose
 * pid this process cannot see, e.g. in another pid namespace sharing /tmp). Never fails.
 */
async function removeStaleSocketDirs(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  await Promise.all(
    names
      .filter((name) => name.startsWith(SOCKET_DIR_PREFIX))
      .map(async (name) => {
        const dir = join(parent, name);
        try {
          const stat = await lstat(dir);
          if (!stat.isDirectory() || stat.uid !== uid) return;
          const pid = Number((await readFile(join(dir, OWNER_FILE), 'utf8')).trim());
          if (!Number.isSafeInteger(pid) || pid <= 0 || processAlive(pid)) return;
          if (await socketAnswers(join(dir, SOCKET_NAME))) return;
          await rm(dir, { recursive: true, force: true });
        } catch {
          // Gone meanwhile, unreadable or without an owner file: not ours to judge.
        }
      }),
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
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
  const socketDir = await createSocketDir();
  trackSocketDir(socketDir);
  const worker = new Worker(WORKER_URL, {
    workerData: {
      dataDir,
      socketPath: join(socketDir, SOCKET_NAME),
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
