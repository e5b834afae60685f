import { expect, test } from '@playwright/test';
import { apiCall, joinTeam, registerViaApi, snap } from './helpers.ts';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A TCX run of 30 minutes today (UTC), a trackpoint every 10 s, HR 140 → 155. */
function tcxRunToday(): Buffer {
  const midnight = Date.parse(`${isoDay(Date.now())}T00:00:00Z`);
  const start = Math.max(midnight + 60_000, Date.now() - 40 * 60_000);
  const points = Array.from({ length: 181 }, (_, i) => {
    const t = new Date(start + i * 10_000).toISOString();
    return `<Trackpoint><Time>${t}</Time><DistanceMeters>${(i * 28).toFixed(1)}</DistanceMeters><HeartRateBpm><Value>${140 + Math.round((15 * i) / 180)}</Value></HeartRateBpm></Trackpoint>`;
  }).join('');
  const begin = new Date(start).toISOString();
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running"><Id>${begin}</Id><Lap StartTime="${begin}"><TotalTimeSeconds>1800</TotalTimeSeconds><DistanceMeters>5040</DistanceMeters><Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>${points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>`,
  );
}

test('plan → done → compliance: the coach plans, the athlete runs it, both see how closely', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const coachCtx = await browser.newContext();
  const athleteCtx = await browser.newContext();
  const coach = await registerViaApi(coachCtx.request, 'Carla Planner', 'coach');
  const athlete = await registerViaApi(athleteCtx.request, 'Ada Plans', 'athlete');
  const { team } = await apiCall<{ team: { id: string } }>(
    coachCtx.request,
    coach.token,
    'post',
    '/api/v1/teams',
    {
      name: 'Plan Harriers',
    },
  );
  await joinTeam(coachCtx.request, coach, team.id, athlete);

  // The coach opens Calendar from the menu and lands on the team's month.
  const coachPage = await coachCtx.newPage();
  await coachPage.goto('/coach');
  await coachPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar' }).click();
  await expect(coachPage).toHaveURL(new RegExp(`/teams/${team.id}/calendar`));
  await coachPage.getByRole('button', { name: 'Plan a session' }).click();
  const form = coachPage.getByRole('form', { name: 'New plan' });
  await form.getByLabel('For').selectOption({ label: 'Ada Plans' });
  await form.getByLabel('Sport').selectOption('running');
  await form.getByLabel('Duration (min)').fill('30');
  await form.getByLabel('Description').fill('Steady 30 minutes');

  // A day in the past is refused with the field named, and nothing is stored.
  await form.getByLabel('Date').fill(isoDay(Date.now() - 3 * DAY));
  await form.getByRole('button', { name: 'Add plan' }).click();
  await expect(form.getByText('Date must not be in the past.')).toBeVisible();
  const before = await apiCall<{ plans: unknown[] }>(
    coachCtx.request,
    coach.token,
    'get',
    `/api/v1/teams/${team.id}/plans?from=${isoDay(Date.now() - 5 * DAY)}&to=${isoDay(Date.now() + DAY)}`,
  );
  expect(before.plans).toEqual([]);

  await form.getByLabel('Date').fill(isoDay(Date.now()));
  await form.getByRole('button', { name: 'Add plan' }).click();
  await expect(form).toBeHidden();
  const entry = coachPage.getByTestId('day-panel').getByTestId('day-entry');
  await expect(entry).toContainText('Running');
  await expect(entry).toContainText('0/1 done');

  // The athlete sees it on Today, still to do.
  const athletePage = await athleteCtx.newPage();
  await athletePage.goto('/today');
  const item = athletePage.getByTestId('today-plan-item');
  await expect(item).toHaveAttribute('data-status', 'planned');
  await expect(item).toContainText('Steady 30 minutes');

  // They run it (a file import today) and the plan is done, with its compliance.
  await athletePage.goto('/settings/import');
  await athletePage
    .getByLabel('FIT, GPX or TCX files')
    .setInputFiles({ name: 'run.tcx', mimeType: 'application/vnd.garmin.tcx+xml', buffer: tcxRunToday() });
  await expect(athletePage.getByTestId('upload').filter({ hasText: 'run.tcx' })).toHaveAttribute(
    'data-state',
    'done',
    { timeout: 15_000 },
  );
  await athletePage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  await expect(item).toHaveAttribute('data-status', 'done');
  await expect(item.getByTestId('plan-compliance')).toHaveText(/^done · (99|100) %$/);
  await athletePage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar' }).click();
  const mine = athletePage.getByTestId('day-panel').getByTestId('day-entry');
  await expect(mine).toHaveAttribute('data-kind', 'done');
  await expect(mine.getByTestId('plan-compliance')).toHaveText(/^done · (99|100) %$/);
  await snap(athletePage, '40-athlete-calendar-done');

  // The coach's calendar and morning table show it done.
  await coachPage.reload();
  await expect(entry).toContainText('1/1 done');
  await expect(entry).toContainText(/Ada Plans (99|100) %/);
  await coachPage.goto(`/teams/${team.id}/readiness`);
  const week = coachPage.getByTestId('readiness-plans');
  await expect(week).toContainText('1/1 done');
  await expect(week).toContainText(/(99|100) %/);
  await snap(coachPage, '41-team-readiness-plans');
  await week.click();
  await expect(coachPage).toHaveURL(new RegExp(`/teams/${team.id}/calendar\\?athlete=${athlete.id}`));
  await expect(coachPage.getByTestId('day-panel').getByTestId('day-entry').first()).toHaveAttribute(
    'data-kind',
    'done',
  );

  // The athlete subscribes: a secret feed URL shown once, serving the plan; turned off, it is gone.
  await athletePage.goto('/settings/calendar');
  await athletePage.getByRole('button', { name: 'Create feed URL' }).click();
  const feedUrl = (await athletePage.getByTestId('feed-url').textContent())!.trim();
  expect(feedUrl).toMatch(/\/api\/v1\/calendar\/apc_[\w-]+\.ics$/);
  const feed = await athleteCtx.request.get(feedUrl);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  expect(await feed.text()).toContain('SUMMARY:Running 30 min ✓');
  await expect(athletePage.getByTestId('feed-status')).toContainText('A feed URL is active');
  await athletePage.getByRole('button', { name: 'Turn off' }).click();
  await expect(athletePage.getByTestId('feed-status')).toHaveText('No feed URL yet.');
  expect((await athleteCtx.request.get(feedUrl)).status()).toBe(404);
  await coachCtx.close();
  await athleteCtx.close();
});
