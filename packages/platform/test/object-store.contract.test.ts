import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsObjectStore, createS3ObjectStore } from '../src/index.ts';
import type { ObjectInfo, ObjectStore } from '../src/ports.ts';
import { startS3Server, type TestS3Server, uniquePrefix } from '../src/testing.ts';

let s3: TestS3Server;
let fsRoot: string;
beforeAll(async () => {
  s3 = await startS3Server();
  fsRoot = await mkdtemp(join(tmpdir(), 'ap-objects-'));
});
afterAll(async () => {
  await s3?.stop();
  if (fsRoot) await rm(fsRoot, { recursive: true, force: true });
});

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const info of iterable) out.push(info);
  return out;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Bytes no shorter pattern repeats in, so a lost, repeated or reordered chunk shows. */
function patterned(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** A stream of `bytes` in uneven chunks, failing after `failAfter` bytes when given. */
function chunked(bytes: Buffer, failAfter?: number): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0, n = 0; at < bytes.length; n++) {
        if (failAfter !== undefined && at >= failAfter) throw new Error('source failed');
        const size = 65_536 + ((n * 7919) % 100_000);
        yield bytes.subarray(at, at + size);
        at += size;
      }
    })(),
  );
}

describe.each([
  [
    's3',
    () =>
      createS3ObjectStore({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        forcePathStyle: true,
        // Small pages so listing and deletePrefix exercise continuation tokens.
        listPageSize: 2,
      }),
  ],
  ['filesystem', () => createFsObjectStore(fsRoot)],
] as const)('ObjectStore contract: %s', (_name, create) => {
  let store: ObjectStore;
  let base: string;
  beforeAll(() => {
    store = create();
  });
  afterAll(() => store?.close());
  const fresh = () => {
    base = `${uniquePrefix('obj')}/`;
  };

  it('answers ping', async () => {
    expect(await store.ping()).toBe(true);
  });

  it('puts, gets and heads nested keys, keeping contentType', async () => {
    fresh();
    const key = `${base}accounts/u1/biometric-data/whoop/20261122_101500.json`;
    const body = JSON.stringify({ hr: [60, 61] });
    await store.put(key, body, { contentType: 'application/json' });
    expect((await store.get(key))!.toString()).toBe(body);
    const info = await store.head(key);
    expect(info).toMatchObject({ key, size: Buffer.byteLength(body), contentType: 'application/json' });
    expect(info!.lastModified).toBeInstanceOf(Date);

    await store.put(key, 'replaced');
    expect((await store.get(key))!.toString()).toBe('replaced');
    expect((await store.head(key))!.size).toBe(8);
  });

  it('round-trips binary bodies exactly', async () => {
    fresh();
    const bytes = Buffer.alloc(70_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) % 256;
    await store.put(`${base}fit/activity.fit`, bytes);
    await store.put(`${base}fit/u8.bin`, new Uint8Array([0, 255, 1, 254]));
    expect((await store.get(`${base}fit/activity.fit`))!.equals(bytes)).toBe(true);
    expect([...(await store.get(`${base}fit/u8.bin`))!]).toEqual([0, 255, 1, 254]);
  });

  it('returns undefined for missing objects and ignores deleting them', async () => {
    fresh();
    expect(await store.get(`${base}missing.json`)).toBeUndefined();
    expect(await store.head(`${base}missing.json`)).toBeUndefined();
    await store.delete(`${base}missing.json`);
    await store.put(`${base}x.txt`, 'x');
    await store.delete(`${base}x.txt`);
    expect(await store.get(`${base}x.txt`)).toBeUndefined();
  });

  it('streams objects back byte-identical, and undefined when missing', async () => {
    fresh();
    const bytes = patterned(6 * 1024 * 1024 + 123, 1);
    await store.put(`${base}archive/big.bin`, bytes);
    const stream = await store.getStream(`${base}archive/big.bin`);
    expect(stream).toBeDefined();
    expect((await bytesOf(stream!)).equals(bytes)).toBe(true);
    expect(await store.getStream(`${base}archive/missing.bin`)).toBeUndefined();
    // A "folder" of keys is not an object.
    expect(await store.getStream(`${base}archive`)).toBeUndefined();
    await expect(store.getStream('../escape.bin')).rejects.toThrow(/Invalid object key/);
  });

  it('streams a byte range of an object (how a ZIP is read entry by entry)', async () => {
    fresh();
    const bytes = patterned(6 * 1024 * 1024 + 123, 4);
    await store.put(`${base}archive/ranged.bin`, bytes);
    const range = async (start: number, end: number) =>
      bytesOf((await store.getStream(`${base}archive/ranged.bin`, { start, end }))!);
    expect((await range(0, 30)).equals(bytes.subarray(0, 30))).toBe(true);
    expect((await range(5_000_000, bytes.length)).equals(bytes.subarray(5_000_000))).toBe(true);
    expect((await range(bytes.length - 1, bytes.length)).equals(bytes.subarray(-1))).toBe(true);
    expect((await range(17, 17)).length).toBe(0);
    expect(await store.getStream(`${base}archive/missing.bin`, { start: 0, end: 10 })).toBeUndefined();
  });

  it('stores streamed bodies (small and multi-part) whole, keeping contentType', async () => {
    fresh();
    const big = patterned(11 * 1024 * 1024 + 5, 2);
    await store.put(`${base}big.csv.gz`, chunked(big), { contentType: 'application/gzip' });
    expect((await store.get(`${base}big.csv.gz`))!.equals(big)).toBe(true);
    expect(await store.head(`${base}big.csv.gz`)).toMatchObject({
      size: big.length,
      contentType: 'application/gzip',
    });
    const small = patterned(1000, 3);
    await store.put(`${base}small.bin`, chunked(small));
    expect((await store.get(`${base}small.bin`))!.equals(small)).toBe(true);
    await store.put(`${base}empty.bin`, Readable.from([]));
    expect((await store.get(`${base}empty.bin`))!.length).toBe(0);
  });

  it('keeps the old object when a streamed body fails part way', async () => {
    fresh();
    const key = `${base}archive.csv.gz`;
    const old = patterned(300_000, 4);
    await store.put(key, old);
    // Past the first part on S3 (an upload under way is aborted), and within it.
    for (const failAfter of [6 * 1024 * 1024, 100_000]) {
      await expect(store.put(key, chunked(patterned(9 * 1024 * 1024, 5), failAfter))).rejects.toThrow(
        'source failed',
      );
      expect((await store.get(key))!.equals(old)).toBe(true);
    }
  });

  it('releases the file or connection of a stream destroyed before its end', async () => {
    fresh();
    const key = `${base}partly-read.bin`;
    await store.put(key, patterned(2 * 1024 * 1024, 6));
    // More than the S3 client's 50 sockets: a leaked connection per stream would hang the
    // 51st request (and fail this test by its timeout).
    for (let i = 0; i < 60; i++) {
      const stream = (await store.getStream(key))!;
      // Not once(): destroying a stream before its end also emits an AbortError.
      const closed = new Promise((resolve) => stream.once('close', resolve));
      for await (const chunk of stream) {
        expect((chunk as Buffer).length).toBeGreaterThan(0);
        break; // leaving the loop destroys the stream
      }
      await closed;
      expect(stream.destroyed).toBe(true);
    }
    const stream = (await store.getStream(key))!;
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));
    expect((await store.head(key))!.size).toBe(2 * 1024 * 1024);
  }, 30_000);

  it('lists recursively by prefix in key order, and deletes a prefix', async () => {
    fresh();
    // s3rver lists in directory-walk order; these keys sort the same way in S3's byte order.
    const keys = ['z.json', 'a/b/c/3.json', 'ab/4.json', 'a/1.json', 'a_sibling.json', 'a/b/2.json'];
    for (const k of keys) await store.put(base + k, k);

    const under = async (p: string) =>
      (await collect(store.list(base + p))).map((o) => o.key.slice(base.length));
    expect(await under('')).toEqual([
      'a/1.json',
      'a/b/2.json',
      'a/b/c/3.json',
      'a_sibling.json',
      'ab/4.json',
      'z.json',
    ]);
    expect(await under('a/')).toEqual(['a/1.json', 'a/b/2.json', 'a/b/c/3.json']);
    expect(await under('a')).toEqual([
      'a/1.json',
      'a/b/2.json',
      'a/b/c/3.json',
      'a_sibling.json',
      'ab/4.json',
    ]);
    expect(await under('a/b/c')).toEqual(['a/b/c/3.json']);
    expect(await under('nope/')).toEqual([]);
    const [first] = await collect(store.list(`${base}a/b/c/`));
    expect(first).toMatchObject({ size: Buffer.byteLength('a/b/c/3.json') });

    expect(await store.deletePrefix(`${base}a/`)).toBe(3);
    expect(await under('')).toEqual(['a_sibling.json', 'ab/4.json', 'z.json']);
    expect(await store.deletePrefix(`${base}a/`)).toBe(0);
  });

  it('rejects keys that escape or are not plain relative paths', async () => {
    for (const bad of [
      '../escape.txt',
      'a/../../escape.txt',
      '/abs.txt',
      'a//b.txt',
      'a/./b.txt',
      '',
      'a\\b',
    ]) {
      await expect(store.put(bad, 'x'), bad).rejects.toThrow(/Invalid object key/);
    }
    await expect(collect(store.list('../'))).rejects.toThrow(/Invalid object key/);
    await expect(store.deletePrefix('a/../..')).rejects.toThrow(/Invalid object key/);
  });
});

describe('ObjectStore: filesystem specifics', () => {
  it('writes atomically (no temp files left) and keeps objects inside its root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ap-objects-'));
    try {
      const store = createFsObjectStore(join(root, 'objects'));
      await store.put('accounts/u1/raw.json', '{}', { contentType: 'application/x-custom' });
      await store.put('accounts/u1/inferred.json', '{}');
      expect(await readdir(join(root, 'objects', '.tmp'))).toEqual([]);
      expect(await readdir(root)).toEqual(['objects']);
      expect((await store.head('accounts/u1/raw.json'))!.contentType).toBe('application/x-custom');
      expect((await store.head('accounts/u1/inferred.json'))!.contentType).toBe('application/json');
      expect((await collect(store.list(''))).map((o) => o.key)).toEqual([
        'accounts/u1/inferred.json',
        'accounts/u1/raw.json',
      ]);
      await expect(store.put('.meta/x.json', '{}')).rejects.toThrow(/reserved/);
      expect(await store.get('../objects/accounts/u1/raw.json').catch((e: Error) => e.name)).toBe(
        'InvalidObjectKeyError',
      );
      expect(await store.deletePrefix('accounts/')).toBe(2);
      expect(await readdir(join(root, 'objects'))).not.toContain('accounts');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
