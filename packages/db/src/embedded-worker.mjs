// The embedded database's thread: owns the PGlite instance and serves it over the Postgres wire
// protocol on a unix socket, so the API's event loop only sends queries (see embedded.ts).
// Plain JavaScript on purpose: a worker thread starts without the TypeScript loader that tsx
// or vitest give the main thread.
//
// Several connections share PGlite's one session. Each connection's messages are cut into
// units that end where the client waits for an answer (Sync, a simple Query, Flush, Terminate),
// and units run one at a time in arrival order, whole: two clients' extended-protocol messages
// never interleave (pglite-socket's multiplexer interleaves them message by message), and while
// a connection has a transaction open only its units run. With several connections the client
// keeps work queued here while its own event loop is busy, instead of one round trip per turn.
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @type {{ dataDir: string | undefined; socketPath: string }} */
const { dataDir, socketPath } = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Postgres refuses longer startup packets (MAX_STARTUP_PACKET_LENGTH). */
const MAX_STARTUP_LENGTH = 10_000;
/** Frontend message types of protocol 3.0 (after startup); PGlite hangs on any other. */
const FRONTEND_TYPES = new Set(Buffer.from('BCdcfDEHFPpQSX'));
/** Message types after which the client waits for the server. */
const UNIT_END = new Set([0x53 /* S Sync */, 0x51 /* Q Query */, 0x48 /* H Flush */, 0x58 /* X Terminate */]);

/** @typedef {{ socket: import('node:net').Socket; buffer: Buffer; started: boolean; pending: Uint8Array[]; closed: boolean; done: boolean }} Conn */
/** @type {Array<{ conn: Conn; messages: Uint8Array[] }>} */
const queue = [];
/** @type {Conn | null} the connection whose transaction is open, or that sent Flush (not Sync) */
let owner = null;
let pumping = false;

/**
 * Text for an error from PGlite, which sometimes throws plain objects (`{ message, code, … }`)
 * rather than Errors: their fields, not "[object Object]".
 */
function describeError(/** @type {unknown} */ err, withStack = false) {
  if (err instanceof Error) return (withStack && err.stack) || err.message;
  if (typeof err === 'object' && err !== null) {
    const { message } = /** @type {{ message?: unknown }} */ (err);
    try {
      const json = JSON.stringify(err);
      return typeof message === 'string' && message ? `${message} ${json}` : json;
    } catch {
      // circular: fall through
    }
  }
  return String(err);
}

/** @type {PGlite} */
let db;
try {
  db = await PGlite.create(dataDir);
} catch (err) {
  port.postMessage({ type: 'failed', message: describeError(err) });
  process.exit(1);
}

/** SQL errors come back as protocol messages; an exception means the instance itself broke. */
function fatal(/** @type {unknown} */ err) {
  port.postMessage({ type: 'fatal', message: describeError(err, true) });
  process.exit(1);
}

async function pump() {
  if (pumping) return;
  pumping = true;
  try {
    for (;;) {
      if (owner?.closed) {
        // Its transaction must not stay open for everyone else.
        owner = null;
        if (db.isInTransaction()) await db.exec('ROLLBACK');
      }
      let i = 0;
      if (owner) {
        i = queue.findIndex((u) => u.conn === owner);
        if (i < 0) break; // the owner is busy elsewhere: wait for its next unit
      }
      const unit = queue.splice(i, 1)[0];
      if (!unit) break;
      /** @type {Uint8Array[]} */
      const out = [];
      for (const message of unit.messages) {
        await db.runExclusive(() =>
          db.execProtocolRawStream(message, { onRawData: (data) => out.push(data.slice()) }),
        );
      }
      const flushed = unit.messages.at(-1)?.[0] === 0x48;
      owner = flushed || db.isInTransaction() ? unit.conn : null;
      // One write per unit: the client wakes once per answer, not once per protocol message.
      if (!unit.conn.closed && out.length > 0) unit.conn.socket.write(Buffer.concat(out));
    }
  } catch (err) {
    fatal(err);
  } finally {
    pumping = false;
  }
}

/**
 * Cuts complete messages off the connection's buffer into units. What PGlite must never see is
 * answered here: encryption requests (declined), cancel requests and malformed packets (which
 * would throw inside PGlite and take the thread down for every connection).
 */
function take(/** @type {Conn} */ conn) {
  while (!conn.done) {
    if (!conn.started) {
      if (conn.buffer.length < 8) return;
      const length = conn.buffer.readInt32BE(0);
      const code = conn.buffer.readInt32BE(4);
      if (length < 8 || length > MAX_STARTUP_LENGTH) return refuse(conn, 'invalid length of startup packet');
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        conn.socket.write('N');
        conn.buffer = conn.buffer.subarray(8);
        continue;
      }
      if (code === CANCEL_REQUEST) {
        // Answered by closing, as Postgres does, but nothing is interrupted: PGlite runs a statement
        // synchronously in this thread, which reads the request only once it has ended (and the
        // units queued behind it still run).
        finish(conn);
        return;
      }
      if (code >>> 16 !== 3) {
        return refuse(conn, `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`);
      }
      if (conn.buffer.length < length) return;
      const problem = startupProblem(conn.buffer.subarray(8, length));
      if (problem) return refuse(conn, problem);
      queue.push({ conn, messages: [new Uint8Array(conn.buffer.subarray(0, length))] });
      conn.buffer = conn.buffer.subarray(length);
      conn.started = true;
      continue;
    }
    if (conn.buffer.length < 5) return;
    const length = conn.buffer.readInt32BE(1);
    const type = /** @type {number} */ (conn.buffer[0]);
    if (!FRONTEND_TYPES.has(type)) return refuse(conn, `invalid frontend message type ${type}`);
    if (length < 4) return refuse(conn, 'invalid message length');
    const size = 1 + length;
    if (conn.buffer.length < size) return;
    conn.pending.push(new Uint8Array(conn.buffer.subarray(0, size)));
    conn.buffer = conn.buffer.subarray(size);
    if (type === 0x58) {
      // Terminate: PGlite's session outlives the connection, so it is not passed on.
      conn.pending = [];
      conn.done = true;
      conn.socket.end();
      return;
    }
    if (UNIT_END.has(type)) {
      queue.push({ conn, messages: conn.pending });
      conn.pending = [];
    }
  }
}

/**
 * What is wrong with a startup packet's parameters (name/value pairs, each NUL-terminated, then
 * a NUL), or undefined. PGlite ignores the user and database names but dies on a malformed list.
 */
function startupProblem(/** @type {Buffer} */ params) {
  const text = params.toString('latin1');
  if (!text.endsWith('\0\0')) return 'invalid startup packet layout: expected terminator as last byte';
  const fields = text.slice(0, -2).split('\0');
  if (fields.length % 2 !== 0) return 'invalid startup packet layout: a parameter has no value';
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] === 'user' && fields[i + 1] !== '') return undefined;
  }
  return 'no PostgreSQL user name specified in startup packet';
}

/** Ends a connection that broke the protocol with a FATAL ErrorResponse, as Postgres does. */
function refuse(/** @type {Conn} */ conn, /** @type {string} */ message) {
  const fields = [
    ['S', 'FATAL'],
    ['V', 'FATAL'],
    ['C', '08P01'], // protocol_violation
    ['M', message],
  ];
  const body = Buffer.concat([
    ...fields.map(([key, value]) => Buffer.from(`${key}${value}\0`)),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E');
  header.writeInt32BE(4 + body.length, 1);
  finish(conn, Buffer.concat([header, body]));
}

/** Reads nothing more from the connection and closes it once `last` is out. */
function finish(/** @type {Conn} */ conn, /** @type {Buffer | undefined} */ last = undefined) {
  conn.done = true;
  conn.buffer = Buffer.alloc(0);
  conn.pending = [];
  // Not left half-open: a peer that never closes must not keep a transaction it left open.
  conn.socket.end(last, () => conn.socket.destroy());
}

function closed(/** @type {Conn} */ conn) {
  conn.closed = true;
  for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.conn === conn) queue.splice(i, 1);
  void pump(); // rolls back a transaction it left open
}

const server = createServer((socket) => {
  /** @type {Conn} */
  const conn = { socket, buffer: Buffer.alloc(0), started: false, pending: [], closed: false, done: false };
  socket.on('data', (chunk) => {
    if (conn.done) return; // after Terminate, a cancel request or a protocol violation
    conn.buffer = conn.buffer.length === 0 ? chunk : Buffer.concat([conn.buffer, chunk]);
    take(conn);
    void pump();
  });
  socket.on('error', () => {});
  socket.on('close', () => closed(conn));
});

try {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve(undefined));
  });
  port.postMessage({ type: 'ready' });
} catch (err) {
  port.postMessage({ type: 'failed', message: describeError(err) });
  await db.close().catch(() => {});
  process.exit(1);
}

port.on('message', async (/** @type {{ type: string; id?: number; sql?: string; text?: string }} */ msg) => {
  if (msg.type === 'copy') {
    // COPY FROM STDIN does not survive PGlite's one-message-at-a-time wire protocol, so the
    // text comes by message and loads through PGlite's /dev/blob, in the same (only) backend
    // session and therefore inside the transaction the caller opened over the socket (which
    // keeps every other connection's units waiting meanwhile).
    try {
      await db.query(/** @type {string} */ (msg.sql), [], {
        blob: new Blob([/** @type {string} */ (msg.text)]),
      });
      port.postMessage({ type: 'reply', id: msg.id });
    } catch (err) {
      port.postMessage({
        type: 'reply',
        id: msg.id,
        error: describeError(err),
      });
    }
  } else if (msg.type === 'close') {
    // Stop serving, then close PGlite (which writes everything out to the data directory).
    await new Promise((resolve) => server.close(() => resolve(undefined)));
    await db.close();
    port.close();
  }
});
