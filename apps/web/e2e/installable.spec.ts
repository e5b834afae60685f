import { encodeHeartRateMeasurement } from '@athlete/core';
import { type BrowserContext, expect, type Page, test, type WebSocketRoute } from '@playwright/test';
import { apiCall, PASSWORD, registerViaApi, snap } from './helpers.ts';

async function signedIn(ctx: BrowserContext, email: string): Promise<void> {
  const res = await ctx.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status()).toBe(200);
}

test('the app installs: manifest, a service worker for the shell that opens offline, /api never cached', async ({
  browser,
  request,
}) => {
  const who = await registerViaApi(request, 'Ivy Install', 'athlete');
  const ctx = await browser.newContext();
  await signedIn(ctx, who.email);
  const page = await ctx.newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto('/record');
  await expect(page.getByRole('heading', { name: 'Record a session' })).toBeVisible();

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const manifest = await ctx.request.get(href!);
  expect(manifest.ok()).toBe(true);
  const body = (await manifest.json()) as {
    name: string;
    display: string;
    start_url: string;
    icons: Array<{ src: string; sizes: string; type: string }>;
  };
  expect(body).toMatchObject({ name: 'Athlete Platform', display: 'standalone', start_url: '/' });
  for (const size of ['192x192', '512x512']) {
    const icon = body.icons.find((i) => i.sizes === size && i.type === 'image/png');
    expect(icon, `a ${size} PNG icon`).toBeTruthy();
    const png = await ctx.request.get(icon!.src);
    expect(png.headers()['content-type']).toBe('image/png');
  }

  // The worker registers (under the API's own CSP) and takes control of the page.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe('/');
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  // The shell comes from the worker's cache; API answers always from the network.
  const nav = await page.goto('/sessions');
  expect(nav?.fromServiceWorker()).toBe(true);
  const me = await page.evaluate(async () => {
    const r = await fetch('/api/v1/me');
    return r.status;
  });
  expect(me).toBe(200);
  const apiResponse = page.waitForResponse((r) => r.url().endsWith('/api/v1/me'));
  await page.reload();
  expect((await apiResponse).fromServiceWorker()).toBe(false);
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys())
      for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
    return urls;
  });
  expect(cached).toContain('/index.html');
  expect(cached.filter((u) => u.startsWith('/api/') || u.startsWith('/ws/'))).toEqual([]);

  // Offline, the app still opens (from the cache) and says what it cannot reach.
  await ctx.setOffline(true);
  await page.reload();
  await expect(page).toHaveTitle('Athlete Platform');
  await expect(page.getByTestId('offline')).toContainText('You are offline');
  await snap(page, 'offline-shell');
  await ctx.setOffline(false);
  expect(cspViolations).toEqual([]);
  await ctx.close();
});

/** How many samples the page keeps on the device (IndexedDB) until the server acknowledges them. */
const keptOnDevice = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('athlete-recorder');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('unacked').objectStore('unacked').count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );

/** The "N sent · M awaiting ack" hint of the Record page's Upload stat. */
async function awaitingAck(page: Page): Promise<number> {
  const text = (await page.getByTestId('upload-state').textContent()) ?? '';
  const m = /(\d+) awaiting ack/.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

test('a Bluetooth recording survives lost acks, a cut link and a page reload: every sample stored once', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const rider = await registerViaApi(request, 'Rae Reload', 'athlete');
  await apiCall(request, rider.token, 'put', '/api/v1/me/profile', { hrMax: 190, hrRest: 55 });
  const ctx = await browser.newContext();
  await signedIn(ctx, rider.email);

  // A strap whose every notification is counted here, across page loads: `produced` is the truth.
  const produced: number[] = [];
  let strapOn = true;
  await ctx.exposeBinding('__strapNext', () => {
    if (!strapOn) return null;
    const hr = 100 + (produced.length % 80);
    produced.push(hr);
    return Array.from(encodeHeartRateMeasurement({ hr, rrMs: [60_000 / hr], sensorContact: true }));
  });
  await ctx.addInitScript(() => {
    const next = () => (window as unknown as { __strapNext(): Promise<number[] | null> }).__strapNext();
    class FakeCharacteristic extends EventTarget {
      value: DataView | null = null;
      async startNotifications() {
        setInterval(async () => {
          const bytes = await next();
          if (!bytes) return;
          this.value = new DataView(Uint8Array.from(bytes).buffer);
          this.dispatchEvent(new Event('characteristicvaluechanged'));
        }, 1000);
        return this;
      }
    }
    const characteristic = new FakeCharacteristic();
    const server = {
      connected: true,
      connect: async () => server,
      disconnect() {},
      getPrimaryService: async () => ({ getCharacteristic: async () => characteristic }),
    };
    const device = Object.assign(new EventTarget(), { id: 'fake-h10', name: 'Polar H10 FAKE', gatt: server });
    Object.defineProperty(navigator, 'bluetooth', {
      configurable: true,
      value: { getAvailability: async () => true, requestDevice: async () => device },
    });
  });

  // The network between page and server: 'acks-lost' lets samples in but no answer out (stored,
  // never acknowledged); 'down' cuts every connection and refuses new ones.
  let link: 'up' | 'acks-lost' | 'down' = 'up';
  const sockets = new Set<WebSocketRoute>();
  await ctx.routeWebSocket(/\/ws\/ingest$/, (ws) => {
    if (link === 'down') {
      void ws.close({ code: 1011, reason: 'link down' });
      return;
    }
    const server = ws.connectToServer();
    sockets.add(ws);
    ws.onMessage((m) => {
      if (link !== 'down') server.send(m);
    });
    server.onMessage((m) => {
      if (link === 'up') ws.send(m);
    });
    ws.onClose(() => {
      sockets.delete(ws);
      void server.close();
    });
  });
  const waitForSamples = async (n: number) => {
    const target = produced.length + n;
    await expect.poll(() => produced.length, { timeout: n * 1000 + 10_000 }).toBeGreaterThanOrEqual(target);
  };

  const page = await ctx.newPage();
  await page.goto('/record');
  await page.getByTestId('pair-strap').click();
  await expect(page.getByTestId('strap-state')).toContainText('connected');
  await expect(page.getByTestId('upload-state')).toContainText('Connected');
  await waitForSamples(4);
  await expect.poll(() => awaitingAck(page)).toBeLessThanOrEqual(1);

  // Acks lost: the server stores these, the page never hears so and keeps them.
  link = 'acks-lost';
  await waitForSamples(4);
  // The link goes down: these never reach the server.
  link = 'down';
  for (const ws of [...sockets]) await ws.close({ code: 1011, reason: 'link down' });
  await waitForSamples(4);
  await expect(page.getByTestId('upload-state')).toContainText(/Reconnecting|connecting/i);

  // The strap pauses only so that `produced` is exact at the reload; the recording goes on after.
  strapOn = false;
  await page.waitForTimeout(1500);
  const waiting = await awaitingAck(page);
  expect(waiting).toBeGreaterThanOrEqual(8);
  await expect.poll(() => keptOnDevice(page)).toBe(waiting);

  link = 'up';
  await page.reload();
  // Without pairing again, the page finds what it kept and sends it.
  await expect(page.getByTestId('restored-samples')).toHaveText(
    `All ${waiting} samples kept from your last recording are stored.`,
    { timeout: 15_000 },
  );
  await expect.poll(() => keptOnDevice(page)).toBe(0);
  await snap(page, 'record-restored');

  // Recording resumes into the same session.
  strapOn = true;
  await page.getByTestId('pair-strap').click();
  await expect(page.getByTestId('strap-state')).toContainText('connected');
  await waitForSamples(4);
  strapOn = false;
  await page.waitForTimeout(1500);
  await expect.poll(() => awaitingAck(page)).toBe(0);
  await expect.poll(() => keptOnDevice(page)).toBe(0);

  // The server holds exactly what the strap produced: same count, same values in order, no doubles.
  const { sessions } = await apiCall<{ sessions: Array<{ id: string; source: string }> }>(
    request,
    rider.token,
    'get',
    `/api/v1/athletes/${rider.id}/sessions`,
  );
  const live = sessions.filter((s) => s.source === 'live');
  expect(live).toHaveLength(1);
  const stored = await apiCall<{ total: number; samples: Array<{ ts: number; hr: number | null }> }>(
    request,
    rider.token,
    'get',
    `/api/v1/sessions/${live[0]!.id}/samples?maxPoints=20000`,
  );
  expect(stored.total).toBe(produced.length);
  const inOrder = [...stored.samples].sort((a, b) => a.ts - b.ts);
  expect(new Set(inOrder.map((s) => s.ts)).size).toBe(inOrder.length);
  expect(inOrder.map((s) => s.hr)).toEqual(produced);
  await ctx.close();
});
