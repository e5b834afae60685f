import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { gzipSync, zipSync } from 'fflate';
import { registerViaApi, snap } from './helpers.ts';

/** Real device files (python-fitparse's fixtures), kept in the repository's fixtures/fit. */
const FIT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'fit');

test('sessions: download as FIT/GPX/TCX/original, rename, filter by sport, add one by hand', async ({
  browser,
}) => {
  const ctx = await browser.newContext();
  await registerViaApi(ctx.request, 'Ines Files', 'athlete');
  const csrf = (await ctx.request.storageState()).cookies.find((c) => c.name === 'ap_csrf')?.value ?? '';
  const bytes = readFileSync(join(FIT_DIR, 'garmin-fenix-5-run.fit'));
  const imported = await ctx.request.post('/api/v1/imports', {
    headers: { 'x-csrf-token': csrf },
    multipart: { file: { name: 'run.fit', mimeType: 'application/octet-stream', buffer: bytes } },
  });
  expect(imported.status(), await imported.text()).toBe(201);
  const sessionId = ((await imported.json()) as { session: { id: string } }).session.id;

  const page = await ctx.newPage();
  await page.goto(`/sessions/${sessionId}`);
  await expect(page.getByTestId('sum-moving')).toContainText(/\d+:\d\d/);
  const downloads = page.getByTestId('session-downloads');
  for (const name of ['FIT', 'GPX', 'TCX', 'Original file'])
    await expect(downloads.getByRole('link', { name, exact: true })).toBeVisible();
  const [fit] = await Promise.all([
    page.waitForEvent('download'),
    downloads.getByRole('link', { name: 'FIT', exact: true }).click(),
  ]);
  expect(fit.suggestedFilename()).toMatch(/^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-running\.fit$/);
  const [original] = await Promise.all([
    page.waitForEvent('download'),
    downloads.getByRole('link', { name: 'Original file' }).click(),
  ]);
  expect(readFileSync((await original.path())!).equals(bytes)).toBe(true);

  await page.getByRole('button', { name: /Name this session|Rename/ }).click();
  await page.getByRole('textbox', { name: 'Session name' }).fill('Fenix morning run');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Fenix morning run');
  await page.setViewportSize({ width: 1440, height: 900 });
  await snap(page, '30-session-files-1440');
  await page.setViewportSize({ width: 390, height: 844 });
  await snap(page, '30-session-files-390');
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.goto('/sessions');
  await page.getByRole('button', { name: 'All', exact: true }).click();
  const rows = page.getByTestId('session-table').getByRole('row');
  await expect(rows.nth(1)).toContainText('Fenix morning run');

  await page.getByRole('button', { name: 'Add a session' }).click();
  const form = page.getByTestId('manual-session-form');
  await form.getByLabel('Sport').selectOption('strength');
  await form.getByLabel('Name').fill('Gym: legs');
  const start = form.getByLabel('Start');
  const earlier = await start.inputValue();
  await start.fill(`${new Date().getFullYear() + 1}-01-01T08:00`);
  await form.getByRole('button', { name: 'Save session' }).click();
  // The API's sentence, next to the field.
  await expect(form.getByText(/Start must be in the past/)).toBeVisible();
  await start.fill(earlier);
  await form.getByLabel('Duration (minutes)').fill('45');
  await form.getByLabel('RPE (0–10)').selectOption('7');
  await form.getByLabel('Note').fill('Squats felt heavy');
  await snap(page, '31-manual-session-form-1440');
  await form.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gym: legs');
  await expect(page.getByTestId('rpe-value')).toContainText('× 45 min = sRPE load 315');
  await expect(
    page.getByTestId('session-downloads').getByRole('link', { name: 'Original file' }),
  ).toHaveCount(0);

  await page.goto('/sessions');
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await expect(rows).toHaveCount(3);
  await page.getByLabel('Sport', { exact: true }).selectOption('strength');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Gym: legs');
  await expect(rows.nth(1)).toContainText('Strength · Manual entry');
  await page.setViewportSize({ width: 390, height: 844 });
  await snap(page, '32-sessions-filtered-390');
  await ctx.close();
});

test('settings: a ZIP is imported in the background with a result per file', async ({ browser }) => {
  const ctx = await browser.newContext();
  await registerViaApi(ctx.request, 'Zed Zip', 'athlete');
  const page = await ctx.newPage();
  await page.goto('/settings/import');
  const walk = readFileSync(join(FIT_DIR, 'garmin-fenix-5-walk.fit'));
  const zip = zipSync({
    'activities.csv': new TextEncoder().encode(
      'Activity ID,Activity Name,Filename\n1,Lunch walk,activities/1.fit.gz\n',
    ),
    'activities/1.fit.gz': gzipSync(walk),
    'activities/2.fit': walk,
    'activities/3.gpx': new TextEncoder().encode('<gpx></gpx>'),
  });
  await page
    .getByLabel('FIT, GPX or TCX files, or a ZIP of them')
    .setInputFiles({ name: 'export.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  const report = page.getByTestId('bulk-import');
  await expect(report).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(report).toContainText('3 of 3 files · 1 imported · 1 already there · 1 failed');
  await expect(report.getByRole('listitem').filter({ hasText: 'Lunch walk' })).toContainText('imported');
  await expect(report.getByRole('listitem').filter({ hasText: '3.gpx' })).toContainText('failed (3.gpx:');
  await snap(page, '33-bulk-import-1440');
  await report
    .getByRole('listitem')
    .filter({ hasText: 'Lunch walk' })
    .getByRole('link', { name: 'open' })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lunch walk');
  await ctx.close();
});

test('sessions: a session entered by hand is corrected and deleted from its page', async ({ browser }) => {
  const ctx = await browser.newContext();
  await registerViaApi(ctx.request, 'Mona Manual', 'athlete');
  const csrf = (await ctx.request.storageState()).cookies.find((c) => c.name === 'ap_csrf')?.value ?? '';
  const created = await ctx.request.post('/api/v1/sessions/manual', {
    headers: { 'x-csrf-token': csrf },
    data: {
      sport: 'strength',
      startedAt: new Date(Date.now() - 7_200_000).toISOString(),
      durationS: 2700,
      rpe: 7,
      name: 'Gym',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { session } = (await created.json()) as { session: { id: string } };

  const page = await ctx.newPage();
  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId('rpe-value')).toContainText('× 45 min = sRPE load 315');
  await page.getByRole('button', { name: 'Edit session' }).click();
  const form = page.getByTestId('manual-session-edit');
  await form.getByLabel('Max HR (bpm)').fill('120');
  await form.getByLabel('Avg HR (bpm)').fill('130');
  await form.getByRole('button', { name: 'Save changes' }).click();
  // The API's sentence, next to the field.
  await expect(form.getByText(/Max HR must not be below the average HR/i)).toBeVisible();
  await form.getByLabel('Max HR (bpm)').fill('150');
  await form.getByLabel('Duration (minutes)').fill('30');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('sum-duration')).toContainText('30:00');
  await expect(page.getByTestId('sum-avg-hr')).toContainText('130');
  // The rating follows the new duration: 7 × 30 min.
  await expect(page.getByTestId('rpe-value')).toContainText('× 30 min = sRPE load 210');

  await page.getByRole('button', { name: 'Delete session' }).click();
  await page
    .getByTestId('manual-session-delete')
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect(page).toHaveURL(/\/sessions$/);
  const gone = await ctx.request.get(`/api/v1/sessions/${session.id}`);
  expect(gone.status()).toBe(404);
  await ctx.close();
});

/** A TCX run of two laps, 10 and 8 minutes, a trackpoint every 10 s; the second lap faster and harder. */
function twoLapRun(): Buffer {
  const start = Date.now() - 2 * 86_400_000;
  const lap = (from: number, points: number, speed: number, hr: number, distance0: number) => {
    const begin = new Date(start + from * 1000).toISOString();
    const track = Array.from({ length: points }, (_, i) => {
      const t = new Date(start + (from + i * 10) * 1000).toISOString();
      return `<Trackpoint><Time>${t}</Time><DistanceMeters>${(distance0 + i * 10 * speed).toFixed(1)}</DistanceMeters><HeartRateBpm><Value>${hr}</Value></HeartRateBpm></Trackpoint>`;
    }).join('');
    return `<Lap StartTime="${begin}"><TotalTimeSeconds>${points * 10}</TotalTimeSeconds><DistanceMeters>${(points * 10 * speed).toFixed(1)}</DistanceMeters><AverageHeartRateBpm><Value>${hr}</Value></AverageHeartRateBpm><MaximumHeartRateBpm><Value>${hr}</Value></MaximumHeartRateBpm><Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>${track}</Track></Lap>`;
  };
  const begin = new Date(start).toISOString();
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running"><Id>${begin}</Id>${lap(0, 60, 2.5, 140, 0)}${lap(600, 48, 3.125, 165, 1500)}</Activity></Activities></TrainingCenterDatabase>`,
  );
}

test('a file with laps shows them in a table and as dashed markers on the charts', async ({ browser }) => {
  const ctx = await browser.newContext();
  await registerViaApi(ctx.request, 'Lars Laps', 'athlete');
  const csrf = (await ctx.request.storageState()).cookies.find((c) => c.name === 'ap_csrf')?.value ?? '';
  const imported = await ctx.request.post('/api/v1/imports', {
    headers: { 'x-csrf-token': csrf },
    multipart: { file: { name: 'laps.tcx', mimeType: 'application/xml', buffer: twoLapRun() } },
  });
  expect(imported.status(), await imported.text()).toBe(201);
  const sessionId = ((await imported.json()) as { session: { id: string } }).session.id;

  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/sessions/${sessionId}`);
  const rows = page.getByTestId('lap-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  // Lap 2 starts 10:00 in, 8:00 of moving time over 1.50 km: 5:20 /km at 165 bpm.
  await expect(rows.nth(0)).toContainText('10:00');
  await expect(rows.nth(0)).toContainText('1.50 km');
  await expect(rows.nth(1)).toContainText('8:00');
  await expect(rows.nth(1)).toContainText('5:20');
  await expect(rows.nth(1)).toContainText('165');
  // Two laps: one dashed line where the second begins (this file has HR, no speed or altitude).
  await expect(page.getByTestId('session-hr').locator('.chart-box')).toHaveAttribute(
    'aria-label',
    /with 2 laps marked/,
  );
  // The rule behind time in zones and TRIMP, from the file's own 10 s recording: 4 × 10 s.
  const file = page.getByTestId('session-file');
  await expect(file.getByTestId('credit-rule')).toHaveText(
    'Each record counts until the next one, up to 40 s (the file records about every 10 s); a longer gap is a pause and counts for nothing.',
  );
  await expect(file.getByRole('note')).toHaveCount(0);
  await page.getByTestId('session-laps').scrollIntoViewIfNeeded();
  await snap(page, '46-session-laps-1440');
  await page.setViewportSize({ width: 390, height: 844 });
  await snap(page, '46-session-laps-390');

  // A file cut off before its end says so on the session page, with what the import noted.
  const cut = await ctx.request.post('/api/v1/imports', {
    headers: { 'x-csrf-token': csrf },
    multipart: {
      file: {
        name: 'cut.fit',
        mimeType: 'application/octet-stream',
        buffer: readFileSync(join(FIT_DIR, 'activity-unexpected-eof.fit')),
      },
    },
  });
  expect(cut.status(), await cut.text()).toBe(201);
  await page.goto(`/sessions/${((await cut.json()) as { session: { id: string } }).session.id}`);
  await expect(page.getByTestId('session-file').getByRole('note')).toContainText(
    'only what could be read is stored',
  );
  await expect(page.getByTestId('file-notes')).toContainText('cut off');
  await snap(page, '46-session-file-incomplete-390');
  await ctx.close();
});
