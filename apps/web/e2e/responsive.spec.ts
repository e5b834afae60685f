import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  expect,
  type Page,
  test,
} from '@playwright/test';
import {
  type Account,
  apiCall,
  joinTeam,
  PASSWORD,
  registerViaApi,
  type Streamer,
  snap,
  startStreaming,
} from './helpers.ts';

/**
 * Every main page at laptop, tablet and two phone sizes: no horizontal scroll anywhere, and a
 * screenshot of each (artifacts/screenshots/<page>-<size>.png) for a person to look at.
 */

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
  { width: 360, height: 740 },
] as const;
type Size = (typeof SIZES)[number];
const label = (s: Size) => `${s.width}x${s.height}`;

let coach: Account;
let athlete: Account;
let teamId: string;
let sessionId: string;
let inviteCode: string;
let streamer: Streamer | null = null;
let api: APIRequestContext;

interface PageVisit {
  name: string;
  path: () => string;
}

const ATHLETE_PAGES: PageVisit[] = [
  { name: 'athlete-home', path: () => '/' },
  { name: 'record', path: () => '/record' },
  { name: 'sessions', path: () => '/sessions' },
  { name: 'session', path: () => `/sessions/${sessionId}` },
  { name: 'trends', path: () => '/trends' },
  { name: 'calendar', path: () => '/calendar' },
  { name: 'settings-profile', path: () => '/settings/profile' },
  { name: 'settings-alerts', path: () => '/settings/alerts' },
  { name: 'settings-teams', path: () => '/settings/teams' },
  { name: 'settings-devices', path: () => '/settings/devices' },
  { name: 'settings-integrations', path: () => '/settings/integrations' },
  { name: 'settings-import', path: () => '/settings/import' },
  { name: 'settings-calendar', path: () => '/settings/calendar' },
  { name: 'settings-account', path: () => '/settings/account' },
  { name: 'accept-invite', path: () => `/invite/${inviteCode}` },
];

const COACH_PAGES: PageVisit[] = [
  { name: 'coach-home', path: () => '/coach' },
  { name: 'coach-live', path: () => `/teams/${teamId}/live` },
  { name: 'team-manage', path: () => `/teams/${teamId}/manage` },
  { name: 'team-readiness', path: () => `/teams/${teamId}/readiness` },
  { name: 'team-calendar', path: () => `/teams/${teamId}/calendar` },
  { name: 'team-alerts', path: () => `/teams/${teamId}/alerts` },
  { name: 'coach-athlete-calendar', path: () => `/teams/${teamId}/calendar?athlete=${athlete.id}` },
  { name: 'coach-athlete-live', path: () => `/teams/${teamId}/athletes/${athlete.id}` },
  { name: 'coach-athlete-sessions', path: () => `/athletes/${athlete.id}/sessions` },
  { name: 'coach-athlete-trends', path: () => `/athletes/${athlete.id}/trends` },
  { name: 'coach-athlete-today', path: () => `/athletes/${athlete.id}/today` },
  { name: 'coach-settings', path: () => '/settings/account' },
];

async function signedIn(browser: Browser, who: Account | null, size: Size): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: size.width, height: size.height } });
  if (who) {
    const res = await ctx.request.post('/api/v1/auth/login', {
      data: { email: who.email, password: PASSWORD },
    });
    expect(res.status()).toBe(200);
  }
  return ctx;
}

/** Waits until the page has its heading and no loading placeholder, then lets charts settle. */
async function settle(page: Page): Promise<void> {
  await expect(page.locator('#main h1, main h1').first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /Loading/ })).toHaveCount(0);
  await page.evaluate(() => document.fonts?.ready);
  await page.waitForTimeout(400);
}

/** Page wider than the viewport: the offending elements, so the failure says where to look. */
async function overflow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    if (doc.scrollWidth <= innerWidth) return null;
    const wide: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 0.5 && r.width > 0) {
        const parent = el.parentElement?.getBoundingClientRect();
        // Report the outermost offenders only: a parent that fits, a child that does not.
        if (!parent || parent.right <= innerWidth + 0.5) {
          const cls =
            typeof el.className === 'string' && el.className ? `.${el.className.split(' ').join('.')}` : '';
          wide.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(r.right)}`);
        }
      }
    }
    return `scrollWidth ${doc.scrollWidth} > ${innerWidth}: ${wide.slice(0, 8).join(', ')}`;
  });
}

async function visitAll(page: Page, pages: PageVisit[], size: Size): Promise<void> {
  for (const visit of pages) {
    await page.goto(visit.path());
    await settle(page);
    expect.soft(await overflow(page), `${visit.name} at ${label(size)}`).toBeNull();
    await snap(page, `${visit.name}-${label(size)}`);
  }
}

interface World {
  coach: Account;
  athlete: Account;
  teammates: Account[];
  teamId: string;
  sessionId: string;
  inviteCode: string;
}

/**
 * Playwright starts a new worker after a failing test and runs beforeAll again; the accounts are
 * kept in a file for the run so a failing size neither repeats the sign-ups (rate limited per
 * address) nor stops the other sizes. A file from another run fails the token check.
 */
const WORLD_FILE = join(tmpdir(), `ap-e2e-responsive-${process.env.E2E_PORT}.json`);

async function loadWorld(request: APIRequestContext): Promise<World | null> {
  if (!existsSync(WORLD_FILE)) return null;
  const world = JSON.parse(readFileSync(WORLD_FILE, 'utf8')) as World;
  const res = await request.get('/api/v1/teams', {
    headers: { authorization: `Bearer ${world.coach.token}` },
  });
  return res.ok() ? world : null;
}

async function createWorld(request: APIRequestContext): Promise<World> {
  const coach = await registerViaApi(request, 'Morgan Fieldside', 'coach');
  const { team } = await apiCall<{ team: { id: string } }>(request, coach.token, 'post', '/api/v1/teams', {
    name: 'Riverside Harriers Under-18 Development Squad',
  });
  const athlete = await registerViaApi(request, 'Alexandra Montgomery-Richardson', 'athlete');
  await joinTeam(request, coach, team.id, athlete);
  await apiCall(request, athlete.token, 'put', '/api/v1/me/profile', {
    hrMax: 192,
    hrRest: 50,
    birthYear: 1996,
  });

  // A finished session with a track and a chart for the session page and the trends.
  const backlog = await startStreaming(request, [{ account: athlete, seed: 3, hrMax: 192, capHr: 170 }], 600);
  backlog.stop();
  const { sessions } = await apiCall<{ sessions: Array<{ id: string; status: string }> }>(
    request,
    athlete.token,
    'get',
    `/api/v1/athletes/${athlete.id}/sessions`,
  );
  const sessionId = sessions.find((s) => s.status === 'open')!.id;
  await apiCall(request, athlete.token, 'post', `/api/v1/sessions/${sessionId}/stop`, {});

  const teammates: Account[] = [];
  // The first has an alert on the live view: a name long enough to meet its badges on a laptop.
  for (const name of ['Ayodele Bello-Okafor', 'Lena Vogel', 'Ravi Iyer', 'Inès Dubois']) {
    const a = await registerViaApi(request, name, 'athlete');
    await joinTeam(request, coach, team.id, a);
    await apiCall(request, a.token, 'put', '/api/v1/me/profile', { hrMax: 190, hrRest: 52 });
    teammates.push(a);
  }
  // Plans for the calendars: today's for the athlete (the live session above does it), the week's for all.
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  for (const [offset, athleteId, sport, description] of [
    [0, athlete.id, 'running', 'Steady aerobic run with strides at the end'],
    [1, null, 'team_sport', 'Small-sided games, then a long cool-down'],
    [3, null, 'cycling', null],
  ] as const) {
    await apiCall(request, coach.token, 'post', `/api/v1/teams/${team.id}/plans`, {
      athleteId,
      date: day(offset),
      sport,
      durationMin: 50,
      targetLoad: offset === 0 ? 70 : null,
      targetZone: offset === 3 ? 2 : null,
      description,
    });
  }
  // A pending invite for the accept page, never accepted.
  const { invite } = await apiCall<{ invite: { code: string } }>(
    request,
    coach.token,
    'post',
    `/api/v1/teams/${team.id}/invites`,
    { email: 'someone.else@e2e.test' },
  );
  const world = { coach, athlete, teammates, teamId: team.id, sessionId, inviteCode: invite.code };
  writeFileSync(WORLD_FILE, JSON.stringify(world));
  return world;
}

test.beforeAll(async ({ playwright }) => {
  api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const kept = await loadWorld(api);
  const world = kept ?? (await createWorld(api));
  ({ coach, athlete, teamId, sessionId, inviteCode } = world);
  streamer = await startStreaming(
    api,
    world.teammates.map((a, i) => ({ account: a, seed: 20 + i, hrMax: 190, capHr: 170 })),
    // A backlog only the first time: samples older than the ones already sent would overlap.
    kept ? 0 : 60,
  );
  // One athlete above the 175 bpm threshold: the alert feed has something to show.
  streamer.setHr(world.teammates[0]!.id, 184);
});

test.afterAll(async () => {
  streamer?.stop();
  await api?.dispose();
});

for (const size of SIZES) {
  test(`signed out pages fit ${label(size)}`, async ({ browser }) => {
    const ctx = await signedIn(browser, null, size);
    const page = await ctx.newPage();
    await visitAll(
      page,
      [
        { name: 'login', path: () => '/login' },
        { name: 'register', path: () => '/register' },
        { name: 'forgot-password', path: () => '/forgot-password' },
        { name: 'reset-password', path: () => `/reset-password?token=${'A'.repeat(43)}` },
        { name: 'confirm-email', path: () => `/confirm-email?token=${'A'.repeat(43)}` },
        { name: 'complete-signup', path: () => `/complete-signup?token=${'A'.repeat(43)}` },
      ],
      size,
    );
    // The link pages' column has the sign-in form's edges: a narrower one looked like other padding.
    await page.goto('/login');
    await settle(page);
    const form = (await page.locator('main form').boundingBox())!;
    for (const path of ['/forgot-password', `/complete-signup?token=${'A'.repeat(43)}`]) {
      await page.goto(path);
      await settle(page);
      const column = (await page.locator('main > .stack').boundingBox())!;
      expect.soft([column.x, column.width], `${path} at ${label(size)}`).toEqual([form.x, form.width]);
    }
    await ctx.close();
  });

  test(`athlete pages fit ${label(size)}`, async ({ browser }) => {
    const ctx = await signedIn(browser, athlete, size);
    const page = await ctx.newPage();
    await visitAll(page, ATHLETE_PAGES, size);
    await ctx.close();
  });

  test(`coach pages fit ${label(size)}`, async ({ browser }) => {
    const ctx = await signedIn(browser, coach, size);
    const page = await ctx.newPage();
    await visitAll(page, COACH_PAGES, size);
    await ctx.close();
  });
}

test('on a phone the menu collapses behind a button that works by touch and keyboard', async ({
  browser,
}) => {
  const ctx = await signedIn(browser, athlete, SIZES[3]);
  const page = await ctx.newPage();
  await page.goto('/sessions');
  await settle(page);
  // Stacked into cards on a phone, the session table is still a table to assistive technology.
  await expect(page.getByTestId('session-table').getByRole('row')).toHaveCount(2);
  await expect(page.getByTestId('session-table').getByRole('cell').first()).toBeVisible();
  const menu = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('link', { name: 'Trends' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();

  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Trends' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(await overflow(page)).toBeNull();
  await snap(page, 'menu-open-360x740');
  // Choosing a page navigates and closes the menu.
  await nav.getByRole('link', { name: 'Trends' }).click();
  await expect(page).toHaveURL(/\/trends$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('link', { name: 'Trends' })).toBeHidden();

  // Keyboard: Enter opens, Tab reaches the links, Escape closes and gives focus back.
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();

  // Sign out from the phone menu.
  await menu.click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await ctx.close();
});

test('on a laptop the menu is a plain row of links with no menu button', async ({ browser }) => {
  const ctx = await signedIn(browser, coach, SIZES[0]);
  const page = await ctx.newPage();
  await page.goto(`/teams/${teamId}/live`);
  await settle(page);
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  // The alert feed is beside the tiles: no jump link.
  await expect(page.getByTestId('alert-feed')).toBeInViewport();
  await expect(page.getByTestId('alert-jump')).toBeHidden();
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // An alert badge never cuts a name short: the badges wrap under it, so only a name wider than
  // the whole tile is cut.
  const alerting = page.getByTestId('athlete-tile').filter({ has: page.getByTestId('alert-badge') });
  await expect(alerting.first()).toBeVisible({ timeout: 15_000 });
  const names = await page.locator('.tile-name').evaluateAll((els) =>
    els.map((e) => ({
      text: e.textContent,
      cut: e.scrollWidth > e.clientWidth,
      squeezed: e.getBoundingClientRect().width < e.parentElement!.getBoundingClientRect().width - 1,
    })),
  );
  expect(names.filter((n) => n.cut && n.squeezed)).toEqual([]);
  expect(names.map((n) => n.text)).toContain('Ayodele Bello-Okafor');
  await ctx.close();
});

test('the coach live view on a phone: tiles in one column, the alert feed below them', async ({
  browser,
}) => {
  const ctx = await signedIn(browser, coach, SIZES[2]);
  const page = await ctx.newPage();
  await page.goto(`/teams/${teamId}/live`);
  const tiles = page.getByTestId('athlete-tile');
  await expect(tiles).toHaveCount(5);
  await expect(tiles.first().getByTestId('tile-hr')).toHaveText(/^\d+$/);
  const boxes = await tiles.evaluateAll((els) =>
    els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect),
  );
  // One column: every tile starts at the same left edge and is as wide as the first.
  for (const b of boxes) {
    expect(Math.round(b.left)).toBe(Math.round(boxes[0]!.left));
    expect(Math.round(b.width)).toBe(Math.round(boxes[0]!.width));
    expect(b.right).toBeLessThanOrEqual(390);
  }
  const alert = page.getByTestId('alert-item').first();
  await expect(alert).toContainText('High heart rate', { timeout: 15_000 });
  // The feed is below the tiles; the link at the top names the open alerts and jumps there.
  await expect(alert).not.toBeInViewport();
  const jump = page.getByTestId('alert-jump');
  await expect(jump).toHaveText(/^[1-9]\d* open alerts? ↓$/);
  await jump.click();
  await expect(alert).toBeInViewport();
  await expect(alert.getByRole('button', { name: 'Acknowledge' })).toBeVisible();
  expect(await overflow(page)).toBeNull();
  await ctx.close();
});
