import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryPubSub, createRedisPubSub } from '../src/index.ts';
import type { PubSub } from '../src/ports.ts';
import { testRedisUrl, uniquePrefix } from '../src/testing.ts';
import { deleteRedisPrefix, sleep, waitFor } from './helpers.ts';

const prefix = uniquePrefix('pubsub');
afterAll(() => deleteRedisPrefix(prefix));

describe.each([
  ['redis', () => createRedisPubSub({ url: testRedisUrl(), prefix })],
  ['memory', () => createMemoryPubSub()],
] as const)('PubSub contract: %s', (_name, create) => {
  let pubsub: PubSub;
  let channel: string;
  const open = () => {
    pubsub = create();
    channel = uniquePrefix('ch');
  };
  afterEach(() => pubsub?.close());

  it('delivers to every subscriber of the channel, as Buffers', async () => {
    open();
    const a: string[] = [];
    const b: string[] = [];
    const other: string[] = [];
    await pubsub.subscribe(channel, (m, ch) => {
      expect(Buffer.isBuffer(m)).toBe(true);
      expect(ch).toBe(channel);
      a.push(m.toString());
    });
    await pubsub.subscribe(channel, (m) => b.push(m.toString()));
    await pubsub.subscribe(`${channel}-other`, (m) => other.push(m.toString()));
    await pubsub.publish(channel, 'one');
    await pubsub.publish(channel, Buffer.from('two'));
    await waitFor(() => a.length === 2 && b.length === 2);
    expect(a).toEqual(['one', 'two']);
    expect(b).toEqual(['one', 'two']);
    await sleep(30);
    expect(other).toEqual([]);
  });

  it('round-trips binary payloads', async () => {
    open();
    const received: Buffer[] = [];
    await pubsub.subscribe(channel, (m) => received.push(m));
    const payload = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await pubsub.publish(channel, payload);
    await waitFor(() => received.length === 1);
    expect(received[0]!.equals(payload)).toBe(true);
  });

  it('unsubscribe stops one subscriber and leaves the others', async () => {
    open();
    const a: string[] = [];
    const b: string[] = [];
    const unsubscribeA = await pubsub.subscribe(channel, (m) => a.push(m.toString()));
    const unsubscribeB = await pubsub.subscribe(channel, (m) => b.push(m.toString()));
    await pubsub.publish(channel, '1');
    await waitFor(() => a.length === 1 && b.length === 1);
    await unsubscribeA();
    await pubsub.publish(channel, '2');
    await waitFor(() => b.length === 2);
    await unsubscribeB();
    await pubsub.publish(channel, '3');
    await sleep(50);
    expect(a).toEqual(['1']);
    expect(b).toEqual(['1', '2']);
  });

  it('a throwing subscriber does not stop delivery to the others', async () => {
    open();
    const got: string[] = [];
    await pubsub.subscribe(channel, () => {
      throw new Error('bad subscriber');
    });
    await pubsub.subscribe(channel, (m) => got.push(m.toString()));
    await pubsub.publish(channel, 'x');
    await waitFor(() => got.length === 1);
  });
});

describe('PubSub: redis across instances', () => {
  it('delivers between separate connections (nodes)', async () => {
    const nodeA = createRedisPubSub({ url: testRedisUrl(), prefix });
    const nodeB = createRedisPubSub({ url: testRedisUrl(), prefix });
    const otherDeployment = createRedisPubSub({ url: testRedisUrl(), prefix: `${prefix}-other` });
    try {
      const got: string[] = [];
      const leaked: string[] = [];
      await nodeB.subscribe('team:1', (m) => got.push(m.toString()));
      await otherDeployment.subscribe('team:1', (m) => leaked.push(m.toString()));
      await nodeA.publish('team:1', 'hello');
      await waitFor(() => got.length === 1);
      await sleep(30);
      expect(leaked).toEqual([]);
    } finally {
      await Promise.all([nodeA.close(), nodeB.close(), otherDeployment.close()]);
    }
  });
});
