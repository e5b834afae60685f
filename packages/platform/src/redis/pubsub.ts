import type { PubSub } from '../ports.ts';
import { connectRedis, DEFAULT_PREFIX, quitRedis, REDIS_DB, type RedisAdapterOptions } from './connection.ts';

type Handler = (message: Buffer, channel: string) => void;

/**
 * Redis pub/sub: one publisher and one subscriber connection per instance; handlers are
 * dispatched by channel. Channels are namespaced `${prefix}:ps:` so deployments don't cross-talk.
 */
export function createRedisPubSub(opts: RedisAdapterOptions): PubSub {
  const db = opts.db ?? REDIS_DB.pubsub;
  const publisher = connectRedis(opts.url, db);
  const subscriber = connectRedis(opts.url, db);
  const namespace = `${opts.prefix ?? DEFAULT_PREFIX}:ps:`;
  const handlers = new Map<string, Set<Handler>>();

  subscriber.on('messageBuffer', (rawChannel: Buffer, message: Buffer) => {
    const full = rawChannel.toString();
    if (!full.startsWith(namespace)) return;
    const channel = full.slice(namespace.length);
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(message, channel);
      } catch {
        // A failing subscriber must not stop delivery to the others.
      }
    }
  });

  return {
    async publish(channel, message) {
      await publisher.publish(namespace + channel, message);
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await subscriber.subscribe(namespace + channel);
      }
      // Wrap so the same function can subscribe twice and unsubscribe independently.
      const entry: Handler = (message, ch) => handler(message, ch);
      set.add(entry);
      return async () => {
        const current = handlers.get(channel);
        if (!current?.delete(entry) || current.size) return;
        handlers.delete(channel);
        await subscriber.unsubscribe(namespace + channel);
      };
    },
    async close() {
      handlers.clear();
      await Promise.all([quitRedis(publisher), quitRedis(subscriber)]);
    },
  };
}
