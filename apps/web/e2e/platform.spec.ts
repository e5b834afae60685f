import { encodeHeartRateMeasurement } from '@athlete/core';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import {
  type Account,
  apiCall,
  email,
  installFakeStrap,
  joinTeam,
  loginViaApi,
  PASSWORD,
  registerViaApi,
  type Streamer,
  snap,
  startStreaming,
} from './helpers.ts';

test.describe.configure({ mode: 'serial' });

const TEAM = 'Riverside Harriers';
let coach: Account;
let athlete: Account;
let teamId: string;
let coachCtx: BrowserContext;
let athleteCtx: BrowserContext;
let coachPage: Page;
let athletePage: Page;
let streamer: Streamer | null = null;

async function signedInContext(browser: Browser, who: Account): Promise<BrowserContext> {
  const ctx = await browser.newContext();
  const res = await ctx.request.post('/api/v1/auth/login', {
    data: { email: who.email, password: PASSWORD },
  });
  expect(res.status()).toBe(200);
  return ctx;
}

test.afterAll(async () => {
  streamer?.stop();
  await coachCtx?.close();
  await athleteCtx?.close();
});

test('a coach and an athlete sign up, the coach invites and the athlete accepts with consent', async ({
  browser,
  request,
}) => {
  coachCtx = await browser.newContext();
  coachPage = await coachCtx.newPage();
  await coachPage.goto('/login');
  await expect(coachPage.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await snap(coachPage, '01-login');

  await coachPage.getByRole('link', { name: 'Create an account' }).click();
  await coachPage.getByRole('radio', { name: /^Coach/ }).check();
  await coachPage.getByLabel('Name').fill('Morgan Coach');
  await coachPage.getByLabel('Email').fill(email('morgan'));
  await coachPage.getByLabel('Password').fill('short');
  await coachPage.getByRole('button', { name: 'Create account' }).click();
  await expect(coachPage.getByText('Use at least 10 characters.')).toBeVisible();
  await coachPage.getByLabel('Password').fill(PASSWORD);
  await snap(coachPage, '02-register');
  await coachPage.getByRole('button', { name: 'Create account' }).click();
  await expect(coachPage).toHaveURL(/\/coach$/);

  await coachPage.getByLabel('Team name').fill(TEAM);
  await coachPage.getByRole('button', { name: 'Create team' }).click();
  await coachPage.getByRole('link', { name: 'Manage' }).click();
  await expect(coachPage.getByRole('heading', { name: TEAM })).toBeVisible();
  teamId = /\/teams\/([^/]+)\/manage/.exec(coachPage.url())![1]!;

  const athleteEmail = email('alex');
  await coachPage.getByLabel("Athlete's email").fill(athleteEmail);
  await coachPage.getByRole('button', { name: 'Create invite' }).click();
  const link = (await coachPage.getByTestId('invite-link').textContent())!.trim();
  expect(link).toMatch(/\/invite\/[\w-]+$/);
  const pendingRow = coachPage.getByTestId('pending-invite-row').filter({ hasText: athleteEmail });
  await expect(pendingRow).toContainText('Morgan Coach');

  athleteCtx = await browser.newContext();
  athletePage = await athleteCtx.newPage();
  await athletePage.goto(link);
  await expect(athletePage).toHaveURL(/\/login\?next=/);
  await athletePage.getByRole('link', { name: 'Create an account' }).click();
  await athletePage.getByLabel('Name').fill('Alex Runner');
  await athletePage.getByLabel('Email').fill(athleteEmail);
  await athletePage.getByLabel('Password').fill(PASSWORD);
  await athletePage.getByRole('button', { name: 'Create account' }).click();
  await expect(athletePage.getByRole('heading', { name: 'Join a team' })).toBeVisible();
  // The page says whose team it is before anything is accepted.
  await expect(athletePage.getByTestId('invite-from')).toHaveText(
    `Morgan Coach invites you to join ${TEAM}.`,
  );
  await athletePage.getByLabel(/Wellness/).uncheck();
  await snap(athletePage, '03-accept-invite');
  await athletePage.getByRole('button', { name: 'Accept invite' }).click();
  await expect(athletePage).toHaveURL(/\/today$/);

  await coachPage.reload();
  const row = coachPage.getByTestId('member-row').filter({ hasText: 'Alex Runner' });
  await expect(row).toBeVisible();
  await expect(row.getByTitle('live: shared')).toBeVisible();
  await expect(row.getByTitle('wellness: not shared')).toBeVisible();
  // Accepted: no longer pending.
  await expect(pendingRow).toHaveCount(0);
  await snap(coachPage, '04-team-manage');

  // A second invite is revoked from the pending list; its link then refuses to be accepted.
  const strayEmail = email('stray');
  await coachPage.getByLabel("Athlete's email").fill(strayEmail);
  await coachPage.getByRole('button', { name: 'Create invite' }).click();
  const strayLink = (await coachPage.getByTestId('invite-link').textContent())!.trim();
  const strayRow = coachPage.getByTestId('pending-invite-row').filter({ hasText: strayEmail });
  await expect(strayRow).toBeVisible();
  coachPage.once('dialog', (d) => void d.accept());
  await strayRow.getByRole('button', { name: 'Revoke' }).click();
  await expect(strayRow).toHaveCount(0);
  await expect(coachPage.getByTestId('invite-link')).toHaveCount(0);
  // Spent and bogus links say so on opening, with no button to press.
  await athletePage.goto(strayLink);
  await expect(athletePage.getByTestId('invite-problem')).toHaveText(
    `Morgan Coach withdrew this invite to ${TEAM}: ask them for a new one.`,
  );
  await expect(athletePage.getByRole('button', { name: 'Accept invite' })).toHaveCount(0);
  await athletePage.goto(link);
  await expect(athletePage.getByTestId('invite-problem')).toContainText(
    `This invite to ${TEAM} has already been used.`,
  );
  await expect(athletePage.getByRole('button', { name: 'Accept invite' })).toHaveCount(0);
  await athletePage.goto('/invite/not-a-real-invite-code-000');
  await expect(athletePage.getByTestId('invite-problem')).toContainText('Invite not found');
  await expect(athletePage.getByTestId('invite-from')).toHaveCount(0);
  await athletePage.goto('/invite/cut');
  await expect(athletePage.getByTestId('invite-problem')).toContainText('looks mistyped or cut short');
  await expect(athletePage.getByRole('button', { name: 'Accept invite' })).toHaveCount(0);

  coach = await loginViaApi(request, email('morgan'));
  athlete = await loginViaApi(request, athleteEmail);
});

test('streamed data reaches the coach within 3 s; an alert fires and is acknowledged', async ({
  request,
}) => {
  await apiCall(request, athlete.token, 'put', '/api/v1/me/profile', {
    hrMax: 192,
    hrRest: 50,
    birthYear: 1996,
  });
  const teammates: Account[] = [];
  for (const name of ['Sam Okafor', 'Jules Martin', 'Priya Shah', 'Tomás Silva', 'Mia Chen']) {
    const a = await registerViaApi(request, name, 'athlete');
    await joinTeam(request, coach, teamId, a);
    await apiCall(request, a.token, 'put', '/api/v1/me/profile', {
      hrMax: 188 + teammates.length * 2,
      hrRest: 52,
    });
    teammates.push(a);
  }
  streamer = await startStreaming(
    request,
    [
      { account: athlete, seed: 1, hrMax: 192, capHr: 168 },
      ...teammates.map((a, i) => ({ account: a, seed: 10 + i, hrMax: 186 + i * 2, capHr: 172 })),
    ],
    300,
  );

  await coachPage.goto(`/teams/${teamId}/live`);
  const tile = coachPage.getByTestId('athlete-tile').filter({ hasText: 'Alex Runner' });
  await expect(tile.getByTestId('tile-hr')).toHaveText(/^\d+$/, { timeout: 5000 });
  await expect(coachPage.getByTestId('athlete-tile')).toHaveCount(6);

  // A changing value on the coach's tile within 3 s of a new sample being sent.
  streamer.setHr(athlete.id, 131);
  await expect(tile.getByTestId('tile-hr')).toHaveText('131', { timeout: 3000 });
  streamer.setHr(athlete.id, 137);
  await expect(tile.getByTestId('tile-hr')).toHaveText('137', { timeout: 3000 });

  // Above the 175 bpm threshold for 2 s: an alert reaches the feed and the tile.
  streamer.setHr(athlete.id, 184);
  const alert = coachPage.getByTestId('alert-item').filter({ hasText: 'Alex Runner' }).first();
  await expect(alert).toBeVisible({ timeout: 10_000 });
  await expect(alert).toContainText('High heart rate');
  await expect(tile.getByTestId('alert-badge')).toBeVisible();
  await expect(tile).toContainText('Z5');
  await snap(coachPage, '05-coach-live');
  streamer.setHr(athlete.id, null);

  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toHaveAttribute('data-acknowledged', 'true');
  await expect(tile.getByTestId('alert-badge')).toHaveCount(0);

  // The coach opens the athlete's live charts from the tile.
  await tile.click();
  await expect(coachPage.getByRole('heading', { name: 'Alex Runner' })).toBeVisible();
  await expect(coachPage.getByTestId('live-hr')).toHaveText(/\d+/);
  await expect(coachPage.locator('[data-testid="live-session"] canvas')).toBeVisible();
  await coachPage.waitForTimeout(1500);
  await snap(coachPage, '06-coach-athlete-live');

  await athletePage.goto('/today');
  await expect(athletePage.getByTestId('live-hr')).toHaveText(/\d+/);
  await expect(athletePage.getByTestId('live-zone')).toBeVisible();
  await expect(athletePage.locator('[data-testid="track-map"] path.track-line')).toBeVisible();
  await athletePage.waitForTimeout(1500);
  await snap(athletePage, '07-athlete-dashboard-live');
});

test('the finished session appears in history with its chart and map', async ({ request }) => {
  streamer?.stop();
  const { sessions } = await apiCall<{ sessions: Array<{ id: string; status: string }> }>(
    request,
    athlete.token,
    'get',
    `/api/v1/athletes/${athlete.id}/sessions`,
  );
  const open = sessions.find((s) => s.status === 'open');
  expect(open, 'an open live session').toBeTruthy();
  await apiCall(request, athlete.token, 'post', `/api/v1/sessions/${open!.id}/stop`, {});

  await athletePage.goto('/sessions');
  const row = athletePage.getByTestId('session-table').getByRole('row').nth(1);
  await expect(row).toContainText(/live/i);
  await snap(athletePage, '08-sessions');
  await row.getByRole('link').click();
  await expect(athletePage.getByRole('heading', { name: 'Summary' })).toBeVisible();
  await expect(athletePage.getByTestId('sum-duration')).toContainText(/\d+:\d\d/);
  await expect(athletePage.locator('[data-testid="session-hr"] canvas')).toBeVisible();
  await expect(athletePage.getByRole('listitem', { name: /Zone 3 Tempo/ })).toBeVisible();
  // Time below zone 1 has its own line; shares are of the whole session.
  await expect(
    athletePage.getByRole('listitem', { name: /^Below Z1: .* percent of the session$/ }),
  ).toBeVisible();
  const map = athletePage.locator('[data-testid="session-map"] [data-testid="track-map"]');
  await expect(map.locator('path.track-line')).toBeVisible();
  // No internet here: tiles fail and the track stays on a plain background.
  await expect(map).toHaveAttribute('data-tiles', 'failed', { timeout: 15_000 });
  await expect(map).toContainText('track shown on a plain background');
  await snap(athletePage, '09-session');

  await athletePage.goto('/trends');
  await expect(athletePage.getByRole('heading', { name: 'Trends' })).toBeVisible();
  await athletePage.waitForLoadState('networkidle');
  await snap(athletePage, '10-trends');
});

test('a Web Bluetooth strap streams through /ws/ingest to the coach', async ({ browser, request }) => {
  const rider = await registerViaApi(request, 'Kai Bluetooth', 'athlete');
  await joinTeam(request, coach, teamId, rider);
  await apiCall(request, rider.token, 'put', '/api/v1/me/profile', { hrMax: 190, hrRest: 55 });
  // 0x2A37 payloads built with the shared encoder: HR 141..150, with RR intervals and contact.
  const frames = Array.from({ length: 10 }, (_, i) =>
    Array.from(encodeHeartRateMeasurement({ hr: 141 + i, rrMs: [60_000 / (141 + i)], sensorContact: true })),
  );
  const ctx = await signedInContext(browser, rider);
  await installFakeStrap(ctx, frames);
  const page = await ctx.newPage();
  await page.goto('/record');
  await page.getByTestId('pair-strap').click();
  await expect(page.getByTestId('strap-state')).toContainText('connected');
  await expect(page.getByTestId('live-hr')).toHaveText(/^1[45]\d/);
  await expect(page.getByTestId('upload-state')).toContainText('Connected');
  await expect(page.getByTestId('upload-state')).toContainText(/[1-9]\d* sent/);
  await page.waitForTimeout(1000);
  await snap(page, '11-record-bluetooth');

  await coachPage.goto(`/teams/${teamId}/live`);
  const tile = coachPage.getByTestId('athlete-tile').filter({ hasText: 'Kai Bluetooth' });
  await expect(tile.getByTestId('tile-hr')).toHaveText(/^1[45]\d$/, { timeout: 8000 });
  const first = await tile.getByTestId('tile-hr').textContent();
  await expect(tile.getByTestId('tile-hr')).not.toHaveText(first!, { timeout: 3000 });
  await ctx.close();
});

test('a browser without Web Bluetooth is told so and offered the other ways in', async ({ browser }) => {
  const ctx = await signedInContext(browser, athlete);
  await ctx.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'bluetooth', { configurable: true, get: () => undefined });
  });
  const page = await ctx.newPage();
  await page.goto('/record');
  await expect(page.getByTestId('bt-unsupported')).toContainText('no Web Bluetooth');
  await expect(page.getByRole('link', { name: 'gateway or device key' })).toBeVisible();
  await expect(page.getByTestId('pair-strap')).toBeDisabled();
  await ctx.close();
});

test('settings: profile zones and a once-shown ingest key', async () => {
  await athletePage.goto('/settings/profile');
  await expect(athletePage.getByLabel('HR max (bpm)')).toHaveValue('192');
  await athletePage.getByLabel('Resting HR (bpm)').fill('48');
  await athletePage.getByRole('button', { name: 'Save profile' }).click();
  await expect(athletePage.getByText('Profile saved.')).toBeVisible();
  await snap(athletePage, '12-settings-profile');

  await athletePage.goto('/settings/devices');
  await athletePage.getByLabel('Device name').fill('Garmin HRM-Pro via phone');
  await athletePage.getByRole('button', { name: 'Create key' }).click();
  await expect(athletePage.getByTestId('new-key')).toHaveText(/^apk_/);
  await expect(athletePage.getByRole('cell', { name: /Garmin HRM-Pro/ })).toBeVisible();
  await snap(athletePage, '13-settings-devices');
});

test('every page links the API documentation, which describes both WebSocket protocols', async ({
  browser,
}) => {
  const ctx = await browser.newContext();
  await registerViaApi(ctx.request, 'Docs Reader', 'athlete');
  const page = await ctx.newPage();
  await page.goto('/settings/profile');
  const link = page.getByRole('link', { name: 'API and WebSocket documentation' });
  await expect(link).toHaveAttribute('href', '/docs');
  const [docs] = await Promise.all([ctx.waitForEvent('page'), link.click()]);
  await expect(docs.getByText('WS /ws/ingest', { exact: false }).first()).toBeVisible({ timeout: 15_000 });
  await expect(docs.getByText('WS /ws/live', { exact: false }).first()).toBeVisible();
  await expect(docs.getByText('WsLiveServerMessage').first()).toBeVisible();
  await ctx.close();
});
