// The embedded database's thread: owns the PGlite instance and serves it over the Postgres wire
// protocol on a unix socket, so the API's event loop only sends queries (see embedded.ts).
// Plain JavaScript on purpose: a worker thread starts without the TypeScript loader that tsx
// or vitest give the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @type {{ dataDir: string | undefined; socketPath: string; maxConnections: number }} */
const { dataDir, socketPath, maxConnections } = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @type {PGlite | undefined} */
let db;
/** @type {PGLiteSocketServer | undefined} */
let server;

try {
  db = await PGlite.create(dataDir);
  // SQL errors come back as protocol messages; an exception here means the instance itself
  // broke (WASM trap, out of memory). The socket server would then stop answering every
  // connection without closing any, so end the thread: clients see their connections drop.
  const exec = db.execProtocolRawStream.bind(db);
  db.execProtocolRawStream = async (message, options) => {
    try {
      return await exec(message, options);
    } catch (err) {
      port.postMessage({ type: 'fatal', message: String(/** @type {Error} */ (err)?.stack ?? err) });
      process.exit(1);
    }
  };
  server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await server.start();
  port.postMessage({ type: 'ready' });
} catch (err) {
  port.postMessage({ type: 'failed', message: /** @type {Error} */ (err)?.message ?? String(err) });
  await db?.close().catch(() => {});
  process.exit(1);
}

port.on('message', async (/** @type {{ type: string; id?: number; sql?: string; text?: string }} */ msg) => {
  if (msg.type === 'copy') {
    // COPY FROM STDIN does not survive PGlite's one-message-at-a-time wire protocol, so the
    // text comes by message and loads through PGlite's /dev/blob, in the same (only) backend
    // session and therefore inside the transaction the caller opened over the socket.
    try {
      await /** @type {PGlite} */ (db).query(/** @type {string} */ (msg.sql), [], {
        blob: new Blob([/** @type {string} */ (msg.text)]),
      });
      port.postMessage({ type: 'reply', id: msg.id });
    } catch (err) {
      port.postMessage({
        type: 'reply',
        id: msg.id,
        error: /** @type {Error} */ (err)?.message ?? String(err),
      });
    }
  } else if (msg.type === 'close') {
    // Stop serving, then close PGlite (which writes everything out to the data directory).
    await server?.stop();
    await db?.close();
    port.close();
  }
});
