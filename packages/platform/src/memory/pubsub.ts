import type { PubSub } from '../ports.ts';

type Handler = (message: Buffer, channel: string) => void;

/** In-process pub/sub: delivery is asynchronous (after publish resolves), like Redis. */
export function createMemoryPubSub(): PubSub {
  const handlers = new Map<string, Set<Handler>>();

  return {
    async publish(channel, message) {
      const targets = handlers.get(channel);
      if (!targets?.size) return;
      const payload = Buffer.from(message);
      for (const handler of [...targets]) {
        setImmediate(() => {
          if (!targets.has(handler)) return;
          try {
            handler(Buffer.from(payload), channel);
          } catch {
            // A failing subscriber must not stop delivery to the others.
          }
        });
      }
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      const entry: Handler = (message, ch) => handler(message, ch);
      set.add(entry);
      return async () => {
        const current = handlers.get(channel);
        if (current?.delete(entry) && !current.size) handlers.delete(channel);
      };
    },
    async close() {
      handlers.clear();
    },
  };
}
