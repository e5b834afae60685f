import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { type Account, PASSWORD, registerViaApi, snap } from './helpers.ts';

/** Real device files (python-fitparse's fixtures), kept in the repository's fixtures/fit. */
const FIT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'fit');

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** A fresh athlete signed in in its own browser context (the cookie from registering). */
async function newAthlete(
  browser: Browser,
  name: string,
): Promise<{ ctx: BrowserContext; page: Page; who: Account }> {
  const ctx = await browser.newContext();
  const who = await registerViaApi(ctx.request, name, 'athlete');
  const page = await ctx.newPage();
  return { ctx, page, who };
}

test('integrations: connect WHOOP on the sandbox consent page, backfill with progress, wellness by source, disconnect', async ({
  browser,
}) => {
  const { ctx, page } = await newAthlete(browser, 'Noor Whoop');
  await page.goto('/settings/integrations');
  const whoop = page.getByTestId('integration-whoop');
  await expect(whoop.getByText('not connected')).toBeVisible();
  await expect(
    page.getByTestId('integration-garmin').getByRole('link', { name: 'Connect Garmin' }),
  ).toBeVisible();

  await whoop.getByRole('link', { name: 'Connect WHOOP' }).click();
  // The API redirects to the sandbox's consent page on its own loopback port.
  await expect(page.getByRole('heading', { name: 'WHOOP (sandbox)' })).toBeVisible();
  const consentUrl = new URL(page.url());
  expect(consentUrl.hostname).toBe('127.0.0.1');
  expect(consentUrl.port).not.toBe(new URL(test.info().project.use.baseURL!).port);
  expect(consentUrl.searchParams.get('state')).toBeTruthy();
  await expect(page.locator('#app-name')).toHaveText('Athlete Platform (sandbox)');
  await page.getByRole('button', { name: 'Allow' }).click();

  // Back in the app: connected, the backfill queued or running with its progress.
  await expect(page).toHaveURL(/\/settings\/integrations\?connected=whoop$/);
  await expect(page.getByText('WHOOP connected. The first sync has started')).toBeVisible();
  await expect(whoop.getByText('active')).toBeVisible();
  await expect(whoop.getByTestId('sync-state')).toContainText(/backfill (queued|running|succeeded)/);
  if (/queued|running/.test((await whoop.getByTestId('sync-state').textContent()) ?? ''))
    await expect(whoop.getByRole('button', { name: 'Sync now' })).toBeDisabled();
  await snap(page, '14-settings-integrations');
  await expect(whoop.getByText(/Last sync: (now|\d+ ?s ago|\d+ ?min ago)/)).toBeVisible({
    timeout: 45_000,
  });
  await expect(whoop.getByTestId('sync-state')).toContainText(/Last backfill succeeded · [1-9]\d* items/);
  await expect(whoop.getByRole('button', { name: 'Sync now' })).toBeEnabled();
  // Sync now: a manual run, queued at user priority, then done.
  await whoop.getByRole('button', { name: 'Sync now' }).click();
  await expect(whoop.getByTestId('sync-state')).toContainText(/Last sync succeeded · \d+ items/, {
    timeout: 20_000,
  });

  await nav(page, 'Today').click();
  const wellness = page.getByTestId('wellness');
  await expect(wellness.getByTestId('wellness-recoveryScore')).toContainText('from WHOOP');
  await expect(wellness.getByTestId('wellness-hrvRmssdMs')).toContainText('from WHOOP');
  await expect(wellness.getByTestId('wellness-sleepDurationS')).toContainText(/\d+ h \d+ min/);
  // WHOOP workouts arrive as sessions, labelled by source.
  await expect(page.getByTestId('recent-sessions').getByRole('row').nth(1)).toContainText('· WHOOP');
  await snap(page, '19-dashboard-wellness-whoop');
  await nav(page, 'Trends').click();
  await expect(page.getByTestId('trend-lnRmssd')).toContainText('from WHOOP');
  await expect(page.locator('[data-testid="trend-lnRmssd"] canvas')).toBeVisible();
  await expect(page.getByTestId('trend-sleepDurationS').getByTestId('trend-sources')).toHaveText(
    'from WHOOP',
  );
  // WHOOP workouts carry an average HR: they count as load, and the card says how many.
  const load = page.getByTestId('trend-load');
  await expect(load.locator('canvas')).toBeVisible();
  await expect(load.getByTestId('load-sessions')).toContainText(/, [1-9]\d* counted/);
  await snap(page, '18-trends-whoop');

  // Refusing on the consent page comes back as a clear error, nothing connected.
  await page.goto('/settings/integrations');
  await page.getByTestId('integration-garmin').getByRole('link', { name: 'Connect Garmin' }).click();
  await expect(page.getByRole('heading', { name: /^Garmin.*\(sandbox\)$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page.getByText('Garmin was not connected')).toBeVisible();
  await expect(page.getByText('Access was refused on the consent page.')).toBeVisible();
  await expect(page.getByTestId('integration-garmin').getByText('not connected')).toBeVisible();

  page.once('dialog', (d) => void d.accept());
  await whoop.getByRole('button', { name: 'Disconnect' }).click();
  await expect(whoop.getByRole('link', { name: 'Connect WHOOP' })).toBeVisible();
  await expect(whoop.getByText('not connected')).toBeVisible();
  // Imported data stays after a disconnect.
  await page.goto('/today');
  await expect(page.getByTestId('wellness-recoveryScore')).toContainText('from WHOOP');
  await ctx.close();
});

test.describe('an athlete imports a file, exports everything, then deletes the account', () => {
  test.describe.configure({ mode: 'serial' });
  let ctx: BrowserContext;
  let page: Page;
  let who: Account;
  let importedId: string;
  test.beforeAll(async ({ browser }) => {
    ({ ctx, page, who } = await newAthlete(browser, 'Ines Import'));
  });
  test.afterAll(async () => ctx?.close());

  test('file import: upload progress, the imported session in the list and its page; duplicates and corrupt files explained', async () => {
    await page.goto('/settings/import');
    // A slow uplink (≈60 KB/s) so the 120 KB file's upload progress is seen moving.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 60 * 1024,
    });
    const input = page.getByLabel('FIT, GPX or TCX files');
    await input.setInputFiles(join(FIT_DIR, 'activity-small-fenix2-run.fit'));
    const upload = page.getByTestId('upload').filter({ hasText: 'activity-small-fenix2-run.fit' });
    await expect(upload.getByText(/^([1-9]|[1-9]\d) %$/)).toBeVisible({ timeout: 5000 });
    const partway = Number(await upload.getByRole('progressbar').getAttribute('aria-valuenow'));
    expect(partway).toBeGreaterThan(0);
    expect(partway).toBeLessThan(100);
    await snap(page, '15-settings-import');
    await expect(upload).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await expect(upload.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    await expect(upload).toContainText(/running · \d+:\d\d(:\d\d)? · \d+(\.\d+)? km/);

    // The same file again: the server knows it, the page links to the first import.
    await input.setInputFiles(join(FIT_DIR, 'activity-small-fenix2-run.fit'));
    const again = page.getByTestId('upload').nth(1);
    await expect(again).toHaveAttribute('data-state', 'duplicate');
    await expect(again).toContainText('This file was imported before.');

    // An unreadable file (a truncated FIT now imports what it holds): the API's refusal is shown.
    await input.setInputFiles({
      name: 'broken.gpx',
      mimeType: 'application/gpx+xml',
      buffer: Buffer.from('<gpx><trk>'),
    });
    const corrupt = page.getByTestId('upload').filter({ hasText: 'broken.gpx' });
    await expect(corrupt).toHaveAttribute('data-state', 'failed');
    await expect(corrupt.getByRole('alert')).toBeVisible();
    await snap(page, '16-settings-import-errors');

    await upload.getByRole('link', { name: 'Open imported session' }).click();
    await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}$/);
    importedId = page.url().split('/').pop()!;
    await expect(again.getByRole('link')).toHaveCount(0); // left the import page
    await expect(page.getByRole('heading', { name: 'Summary' })).toBeVisible();
    await expect(page.getByTestId('sum-duration')).toContainText(/\d+:\d\d/);
    await expect(page.locator('[data-testid="session-hr"] canvas')).toBeVisible();

    await nav(page, 'Sessions').click();
    // The file is from 2014-era hardware: older than the default 3 months, listed under All.
    await expect(page.getByText('No sessions yet')).toBeVisible();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const rows = page.getByTestId('session-table').getByRole('row');
    await expect(rows).toHaveCount(2); // the header and the one import
    await expect(rows.nth(1)).toContainText('Running · File import');
    await expect(rows.nth(1).getByRole('link')).toHaveAttribute('href', `/sessions/${importedId}`);
  });

  test('data export shows its progress, then downloads a ZIP of JSON and CSV files holding the account', async () => {
    await page.goto('/settings/account');
    await snap(page, '17-settings-account');
    // Every report the page polls while the export is built, in order.
    const reports: Array<{ status: string; done: number; total: number | null }> = [];
    const onResponse = async (res: import('@playwright/test').Response) => {
      if (/\/api\/v1\/me\/exports(\/[0-9a-f-]{36})?$/.test(new URL(res.url()).pathname) && res.ok())
        reports.push((await res.json()).export);
    };
    page.on('response', onResponse);
    await page.getByRole('button', { name: 'Prepare export' }).click();
    const progress = page.getByTestId('export-progress');
    await expect(progress).toBeVisible();
    await expect(progress.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
    await expect(progress).toContainText(/Queued: waiting for a worker|Writing .+: \d+ of \d+ parts|Ready/);
    await expect(progress).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
    const ready = (await progress.textContent())!;
    const [, done, total] = /Ready: (\d+) of (\d+) parts \(100%\)/.exec(ready)!;
    expect(done).toBe(total);
    page.off('response', onResponse);
    // The page saw the export start (queued, nothing done) and end with every part written.
    expect(reports[0]).toMatchObject({ status: 'queued', done: 0, total: null });
    expect(reports.at(-1)).toMatchObject({ status: 'succeeded', done: Number(total), total: Number(total) });
    for (let i = 1; i < reports.length; i++)
      expect(reports[i]!.done).toBeGreaterThanOrEqual(reports[i - 1]!.done);
    await snap(page, '17b-settings-account-export-ready');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download export' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^athlete-platform-export-\d{4}-\d\d-\d\d\.zip$/);
    const files = unzipSync(readFileSync((await download.path())!));
    const names = Object.keys(files);
    for (const name of [
      'user.json',
      'profile.json',
      'devices.json',
      'training_sessions.json',
      'training_sessions.csv',
      'daily_summaries.json',
      'daily_summaries.csv',
      'alerts.csv',
      'samples.csv',
    ])
      expect(names, name).toContain(name);
    const text = (name: string) => new TextDecoder().decode(files[name]);
    expect(JSON.parse(text('user.json'))).toMatchObject({ id: who.id, email: who.email });
    const sessions = JSON.parse(text('training_sessions.json')) as Array<{ id: string; source: string }>;
    expect(sessions.map((s) => [s.id, s.source])).toEqual([[importedId, 'file']]);
    // The imported samples, one CSV line each after the header.
    expect(text('samples.csv').trim().split('\n').length).toBeGreaterThan(100);

    // The same export, listed with the other background work, done, with its download.
    await page.goto('/settings/work');
    const item = page.getByTestId('work-item').filter({ hasText: 'Account export' }).first();
    await expect(item).toHaveAttribute('data-status', 'succeeded');
    await expect(item).toContainText(`${total} of ${total} parts (100%)`);
    await expect(item.getByRole('link', { name: 'Download' })).toBeVisible();
    await snap(page, '17c-settings-background-work');
  });

  test('account deletion needs the password, signs out, and the login stops working', async () => {
    await page.goto('/settings/account');
    const confirm = page.getByLabel(/to confirm/);
    const del = page.getByRole('button', { name: 'Delete my account' });
    await expect(del).toBeDisabled();
    await confirm.fill('not-my-password');
    await del.click();
    await expect(page.getByRole('alert')).toContainText('Wrong password: nothing was deleted.');
    await expect(page).toHaveURL(/\/settings\/account$/);

    await confirm.fill(PASSWORD);
    await del.click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByText('Your account and its data were deleted.')).toBeVisible();
    // The session cookie is gone: the app sends a visitor to sign-in.
    await page.goto('/settings/account');
    await expect(page).toHaveURL(/\/login\?next=/);
    expect((await ctx.cookies()).find((c) => c.name === 'ap_session')).toBeUndefined();

    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Wrong email or password.')).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });
});
