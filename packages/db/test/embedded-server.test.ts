import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPglite, startEmbeddedPglite } from '../src/embedded.ts';

// ~0.5–1 s of PGlite work on this machine.
const HEAVY = 'SELECT count(*)::int AS n FROM generate_series(1, 1500000) AS i';

const socketPath = (embedded: EmbeddedPglite) => join(String(embedded.connection.host), '.s.PGSQL.5432');

/** Sends raw bytes on a new connection to the socket; resolves with what came back once the server closed it. */
function exchange(path: string, ...parts: Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(received)));
    socket.once('connect', async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 20)); // separate reads on the server
      }
    });
  });
}

/**
 * Sends `packet` from a client that keeps its own side open after the server's end, then writes
 * on until a write fails: resolves once the server has closed the connection completely
 * (a half-closed one would take the writes forever; the test's timeout ends that case).
 */
function fullyClosedAfter(path: string, packet: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ path, allowHalfOpen: true });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    socket.once('connect', () => socket.write(packet));
    socket.once('end', function probe() {
      if (socket.destroyed) return;
      socket.write(Buffer.from([0]));
      setTimeout(probe, 20);
    });
  });
}

function int32s(...values: number[]): Buffer {
  const buf = Buffer.alloc(values.length * 4);
  for (const [i, v] of values.entries()) buf.writeInt32BE(v, i * 4);
  return buf;
}

function startupPacket(params: string): Buffer {
  const body = Buffer.from(params, 'latin1');
  return Buffer.concat([int32s(8 + body.length, 196608), body]);
}

const CANCEL_REQUEST = 80877102;

/** The body of the first ErrorResponse among the server's messages (or the single byte 'N' before them). */
function errorResponse(answer: Buffer): string {
  let at = answer[0] === 0x4e ? 1 : 0;
  while (at + 5 <= answer.length) {
    const end = at + 1 + answer.readInt32BE(at + 1);
    if (answer[at] === 0x45) return answer.subarray(at + 5, end).toString('latin1');
    at = end;
  }
  throw new Error(`no ErrorResponse in ${JSON.stringify(answer.toString('latin1'))}`);
}

/** A dead process's pid (one that has already exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('embedded PGlite socket directory', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  function fakeSocketDir(ownerPid: number | undefined): string {
    const dir = mkdtempSync(join(tmpdir(), 'athlete-pglite-fake-'));
    made.push(dir);
    if (ownerPid !== undefined) writeFileSync(join(dir, 'owner.pid'), `${ownerPid}\n`);
    return dir;
  }

  it('removes directories a killed process left behind, and never those of a live one', async () => {
    const stale = fakeSocketDir(deadPid());
    const live = fakeSocketDir(process.pid);
    const starting = fakeSocketDir(undefined); // no owner file yet: a process starting right now
    // A dead pid (as seen from here) whose socket still answers: a live process elsewhere.
    const answering = fakeSocketDir(deadPid());
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(join(answering, '.s.PGSQL.5432'), r));

    const embedded = await startEmbeddedPglite(undefined);
    try {
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(starting)).toBe(true);
      expect(existsSync(answering)).toBe(true);
      const own = String(embedded.connection.host);
      expect(readFileSync(join(own, 'owner.pid'), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await new Promise((r) => server.close(r));
      await embedded.close();
    }
  });

  it('falls back to /tmp when TMPDIR is too long for a unix socket path', async () => {
    // 88 + "/athlete-pglite-XXXXXX/.s.PGSQL.5432" exceeds the 107 bytes a socket path may have.
    const longTmp = join(mkdtempSync(join('/tmp', 'athlete-db-test-')), 'd'.repeat(60));
    mkdirSync(longTmp);
    made.push(join(longTmp, '..'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = longTmp;
    let embedded: EmbeddedPglite;
    try {
      expect(tmpdir()).toBe(longTmp);
      embedded = await startEmbeddedPglite(undefined);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    try {
      const dir = String(embedded.connection.host);
      expect(dir.startsWith('/tmp/athlete-pglite-')).toBe(true);
      expect(existsSync(socketPath(embedded))).toBe(true);
      expect(readdirSync(longTmp)).toEqual([]); // no socket bound under a truncated path
      const client = new pg.Client(embedded.connection);
      await client.connect();
      try {
        expect((await client.query('SELECT 41 + 1 AS n')).rows).toEqual([{ n: 42 }]);
      } finally {
        await client.end();
      }
    } finally {
      await embedded.close();
    }
  });
});

describe('embedded PGlite wire protocol edge cases', () => {
  let embedded: EmbeddedPglite;
  const errors: string[] = [];
  beforeAll(async () => {
    embedded = await startEmbeddedPglite(undefined, { onError: (message) => errors.push(message) });
  });
  afterAll(async () => {
    await embedded?.close();
  });

  async function selectOne(config: pg.ClientConfig = {}): Promise<unknown> {
    const client = new pg.Client({ ...embedded.connection, ...config });
    await client.connect();
    try {
      return (await client.query('SELECT 1 AS one')).rows;
    } finally {
      await client.end();
    }
  }

  it('reads a cancel request, closes its connection and lets the running statement finish', async () => {
    const client = new pg.Client(embedded.connection);
    await client.connect();
    try {
      const keys = client as unknown as { processID: number; secretKey: number };
      const running = client.query(HEAVY);
      await new Promise((r) => setTimeout(r, 50));
      const cancel = int32s(16, CANCEL_REQUEST, keys.processID, keys.secretKey);
      const [whole, split] = await Promise.all([
        exchange(socketPath(embedded), cancel),
        exchange(socketPath(embedded), cancel.subarray(0, 5), cancel.subarray(5)),
      ]);
      // Closed with no answer, as Postgres answers a cancel request; not left half-open.
      expect(whole.length).toBe(0);
      expect(split.length).toBe(0);
      expect(['EPIPE', 'ECONNRESET']).toContain(await fullyClosedAfter(socketPath(embedded), cancel));
      // Not interrupted: PGlite cannot stop a statement it is running.
      expect((await running).rows).toEqual([{ n: 1_500_000 }]);
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await client.end();
    }
    expect(await selectOne()).toEqual([{ one: 1 }]);
    expect(errors).toEqual([]);
  });

  it('node-postgres query_timeout fails the query on the client and leaves the server serving', async () => {
    const client = new pg.Client({ ...embedded.connection, query_timeout: 100 });
    await client.connect();
    try {
      await expect(client.query(HEAVY)).rejects.toThrow('Query read timeout');
    } finally {
      await client.end();
    }
    expect(await selectOne()).toEqual([{ one: 1 }]);
    expect(errors).toEqual([]);
  });

  it('declines SSL and GSS encryption and then serves the connection', async () => {
    for (const code of [80877103, 80877104]) {
      const answer = await exchange(
        socketPath(embedded),
        int32s(8, code),
        startupPacket('user\0postgres\0\0'),
        Buffer.from([0x58, 0, 0, 0, 4]), // Terminate
      );
      expect(answer.subarray(0, 2).toString('latin1')).toBe('NR'); // N, then AuthenticationOk
      expect(answer.at(-6)).toBe(0x5a); // ReadyForQuery
    }
    expect(errors).toEqual([]);
  });

  const malformed: Array<[string, Buffer[], string]> = [
    ['a startup packet shorter than its header', [int32s(4, 196608)], 'invalid length of startup packet'],
    ['a negative startup length', [int32s(-5, 196608)], 'invalid length of startup packet'],
    ['protocol 2', [int32s(8, 131072)], 'unsupported frontend protocol 2.0'],
    ['no parameters', [int32s(8, 196608)], 'expected terminator as last byte'],
    ['unterminated parameters', [startupPacket('user\0postgres')], 'expected terminator as last byte'],
    ['no user name', [startupPacket('database\0postgres\0\0')], 'no PostgreSQL user name specified'],
    [
      'a message length below 4',
      [startupPacket('user\0postgres\0\0'), Buffer.from([0x51, 0, 0, 0, 0])],
      'invalid message length',
    ],
    [
      'an unknown message type',
      [startupPacket('user\0postgres\0\0'), Buffer.from([0x7a, 0, 0, 0, 4])],
      'invalid frontend message type 122',
    ],
  ];
  it.each(malformed)(
    'refuses %s with a FATAL protocol violation and keeps serving',
    async (_, parts, message) => {
      const answer = await exchange(socketPath(embedded), ...parts);
      const error = errorResponse(answer);
      expect(error).toContain('SFATAL\0');
      expect(error).toContain('C08P01\0');
      expect(error).toContain(message);
      expect(await selectOne()).toEqual([{ one: 1 }]);
      expect(errors).toEqual([]);
    },
  );
});
