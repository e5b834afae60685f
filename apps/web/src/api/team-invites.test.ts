import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { environmentManager, focusManager, QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PENDING_INVITES_REFRESH_MS, teamInvitesQuery } from './queries.ts';
import type { PendingInvite } from './types.ts';

const TEAM = '00000000-0000-4000-8000-000000000001';
const invite = (id: string, email: string): PendingInvite => ({
  id,
  email,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-08T00:00:00.000Z',
  createdBy: { id: '00000000-0000-4000-8000-0000000000c0', name: 'Coach' },
});

/**
 * The Manage page's pending-invite query against a real HTTP server standing in for the API:
 * it polls while the page is visible (so an accepted invite leaves the list) and not while it
 * is hidden. Only the interval timer is faked; requests are real.
 */
describe('pending invites refresh', () => {
  let server: Server;
  let invites: PendingInvite[] = [];
  let hits = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === `/api/v1/teams/${TEAM}/invites`) {
        hits++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ invites }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Query treats a runtime without `window` as a server and schedules no timers there; this
    // test stands in for the browser tab.
    environmentManager.setIsServer(() => false);
    // The SPA's requests are same-origin paths; here the origin is the test server.
    const networkFetch = globalThis.fetch;
    vi.stubGlobal('fetch', (input: string, init?: RequestInit) => networkFetch(new URL(input, base), init));
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    environmentManager.setIsServer(() => typeof window === 'undefined');
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    vi.useRealTimers();
    focusManager.setFocused(undefined);
  });

  // Waits (real time: only intervals are faked) until the query has caught up, up to 5 s.
  const settle = async (check: () => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(check()).toBe(true);
  };

  it('re-reads the list every interval while visible, and not while hidden', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    invites = [
      invite('00000000-0000-4000-8000-00000000000a', 'a@x.test'),
      invite('00000000-0000-4000-8000-00000000000b', 'b@x.test'),
    ];
    hits = 0;
    const client = new QueryClient();
    const observer = new QueryObserver(client, teamInvitesQuery(TEAM));
    const stop = observer.subscribe(() => {});
    try {
      await settle(() => observer.getCurrentResult().data?.length === 2);
      expect(hits).toBe(1);

      // Athlete a accepts: the coach's list drops it on the next interval, without a reload.
      invites = invites.slice(1);
      vi.advanceTimersByTime(PENDING_INVITES_REFRESH_MS - 1);
      await new Promise((r) => setTimeout(r, 20));
      expect(hits).toBe(1);
      vi.advanceTimersByTime(1);
      await settle(() => observer.getCurrentResult().data?.length === 1);
      expect(observer.getCurrentResult().data?.[0]?.email).toBe('b@x.test');
      expect(hits).toBe(2);

      // A hidden tab does not poll.
      focusManager.setFocused(false);
      vi.advanceTimersByTime(PENDING_INVITES_REFRESH_MS * 3);
      await new Promise((r) => setTimeout(r, 50));
      expect(hits).toBe(2);
    } finally {
      stop();
      client.clear();
    }
  });

  it('does not ask without a team', () => {
    const client = new QueryClient();
    const observer = new QueryObserver(client, teamInvitesQuery(undefined));
    const stop = observer.subscribe(() => {});
    expect(observer.getCurrentResult().fetchStatus).toBe('idle');
    stop();
    client.clear();
  });
});
