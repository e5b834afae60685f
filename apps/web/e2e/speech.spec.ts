import { athleteZones, encodeHeartRateMeasurement, zoneOf } from '@athlete/core';
import { expect, type Page, test } from '@playwright/test';
import {
  type Account,
  apiCall,
  installFakeStrap,
  registerViaApi,
  type Streamer,
  snap,
  streamingTeam,
} from './helpers.ts';

let streamer: Streamer | null = null;
test.afterAll(() => streamer?.stop());

/** What the page handed to speechSynthesis.speak, in order. */
const spoken = (page: Page) => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);

test('spoken alerts: silent by default, then the new alert is spoken with name, value and threshold', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const coachCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  // Records each utterance instead of playing it (headless Chromium has no voice to hear).
  await coachCtx.addInitScript(() => {
    const w = window as unknown as { __spoken: string[] };
    w.__spoken = [];
    window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
      w.__spoken.push(u.text);
    };
  });
  const world = await streamingTeam(coachCtx.request, request, {
    coach: 'Vera Voice',
    team: 'Spoken Harriers',
    athletes: [
      { name: 'Alex Quiet', seed: 3 },
      { name: 'Sam Loud', seed: 4 },
    ],
  });
  streamer = world.streamer;
  const { team } = world;
  const [alex, sam] = world.athletes as [Account, Account];

  const page = await coachCtx.newPage();
  await page.goto(`/teams/${team.id}/live`);
  const toggle = page.getByRole('switch', { name: 'Speak alerts' });
  await expect(toggle).not.toBeChecked();
  const tile = (name: string) => page.getByTestId('athlete-tile').filter({ hasText: name });
  await expect(tile('Alex Quiet').getByTestId('tile-hr')).toHaveText(/^\d+$/, { timeout: 10_000 });

  // Switch off: an alert fires and nothing is said.
  streamer.setHr(alex.id, 184);
  const alexAlert = page.getByTestId('alert-item').filter({ hasText: 'Alex Quiet' });
  await expect(alexAlert).toBeVisible({ timeout: 15_000 });
  expect(await spoken(page)).toEqual([]);

  // Switched on, the choice survives a reload; the alert already open then is not spoken.
  await toggle.check();
  await page.reload();
  await expect(page.getByRole('switch', { name: 'Speak alerts' })).toBeChecked();
  await expect(alexAlert).toBeVisible();
  await expect(tile('Sam Loud').getByTestId('tile-hr')).toHaveText(/^\d+$/, { timeout: 10_000 });
  expect(await spoken(page)).toEqual([]);

  // A new alert is spoken once, naming the athlete, the value and the threshold it crossed.
  streamer.setHr(sam.id, 187);
  const samAlert = page.getByTestId('alert-item').filter({ hasText: 'Sam Loud' });
  await expect(samAlert).toBeVisible({ timeout: 15_000 });
  const meta = (await samAlert.textContent()) ?? '';
  const [, value, threshold] = /Heart rate (\d+) bpm.*above (\d+) bpm/.exec(meta) ?? [];
  expect(value, meta).toBe('187');
  expect(Number(threshold)).toBeLessThan(187);
  await expect.poll(() => spoken(page)).toEqual([`Sam Loud, heart rate ${value}, above ${threshold}`]);
  await snap(page, 'coach-live-speak-390');
  streamer.stop();
  await coachCtx.close();
});

test('Record speaks a zone change once it holds, only with its switch on', async ({ browser }) => {
  test.setTimeout(120_000);
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await ctx.addInitScript(() => {
    const w = window as unknown as { __spoken: string[] };
    w.__spoken = [];
    window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
      w.__spoken.push(u.text);
    };
  });
  const athlete = await registerViaApi(ctx.request, 'Rae Record', 'athlete');
  const profile = { hrMax: 192, hrRest: 50 };
  await apiCall(ctx.request, athlete.token, 'put', '/api/v1/me/profile', profile);
  const { zones } = athleteZones(profile);
  const [easy, hard] = [125, 175];
  expect(zoneOf(easy, zones)).not.toBe(zoneOf(hard, zones));
  // 12 s easy, then 12 s hard, again and again: each level holds longer than the 10 s debounce.
  const frame = (hr: number) =>
    Array.from(encodeHeartRateMeasurement({ hr, rrMs: [60_000 / hr], sensorContact: true }));
  await installFakeStrap(ctx, [...Array(12).fill(frame(easy)), ...Array(12).fill(frame(hard))], 1000);

  const page = await ctx.newPage();
  await page.goto('/record');
  const toggle = page.getByRole('switch', { name: 'Speak zone changes' });
  await expect(toggle).not.toBeChecked();
  await page.getByTestId('pair-strap').click();
  await expect(page.getByTestId('live-hr')).toHaveText(`${easy}bpm`);
  // The easy zone has held 12 s by the time the hard one starts: silent, as the switch is off.
  await expect(page.getByTestId('live-hr')).toHaveText(`${hard}bpm`, { timeout: 20_000 });
  expect(await spoken(page)).toEqual([]);

  await toggle.check();
  await expect.poll(() => spoken(page), { timeout: 20_000 }).toEqual([`Zone ${zoneOf(hard, zones)}`]);
  await ctx.close();
});

test('Record speaks each kilometre split from the device location, with its own switch (off by default)', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const start = { latitude: 45, longitude: 7, accuracy: 5 };
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    permissions: ['geolocation'],
    geolocation: start,
  });
  await ctx.addInitScript(() => {
    const w = window as unknown as { __spoken: string[] };
    w.__spoken = [];
    window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
      w.__spoken.push(u.text);
    };
  });
  const athlete = await registerViaApi(ctx.request, 'Kim Kilometre', 'athlete');
  await apiCall(ctx.request, athlete.token, 'put', '/api/v1/me/profile', { hrMax: 192, hrRest: 50 });
  const frame = Array.from(encodeHeartRateMeasurement({ hr: 140, rrMs: [429], sensorContact: true }));
  await installFakeStrap(ctx, [frame], 1000);

  const page = await ctx.newPage();
  await page.goto('/record');
  const splits = page.getByRole('switch', { name: 'Speak kilometre splits' });
  await expect(splits).not.toBeChecked();
  await page.getByTestId('pair-strap').click();
  await expect(page.getByTestId('live-hr')).toHaveText('140bpm');
  await splits.check();
  await expect(page.getByTestId('splits-note')).toContainText('stays on this device');

  // North in 250 m steps (0.00225° of latitude ≈ 250.2 m): the first kilometre is passed on the 4th.
  const moveTo = async (step: number) => {
    await ctx.setGeolocation({ ...start, latitude: start.latitude + step * 0.00225 });
    await page.waitForTimeout(1_200);
  };
  for (const step of [1, 2, 3]) await moveTo(step);
  expect(await spoken(page)).toEqual([]);
  await moveTo(4);
  await expect.poll(() => spoken(page), { timeout: 10_000 }).toHaveLength(1);
  const [first] = await spoken(page);
  // "1 kilometre, 5 seconds": the split's number and the time since the recording started.
  const [, seconds] = /^1 kilometre, (\d+) seconds$/.exec(first ?? '') ?? [];
  expect(Number(seconds), first).toBeGreaterThanOrEqual(4);
  expect(Number(seconds), first).toBeLessThan(60);
  // Once per kilometre: more steps inside the second kilometre say nothing more.
  for (const step of [5, 6]) await moveTo(step);
  expect(await spoken(page)).toHaveLength(1);
  await ctx.close();
});
