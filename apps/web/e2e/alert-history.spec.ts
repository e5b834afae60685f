import { expect, test } from '@playwright/test';
import { type Account, apiCall, type Streamer, snap, streamingTeam } from './helpers.ts';

let streamer: Streamer | null = null;
test.afterAll(() => streamer?.stop());

test('alert history: an alert fires, is acknowledged here and elsewhere, and stays after reload', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const coachCtx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const world = await streamingTeam(coachCtx.request, request, {
    coach: 'Hana Historian',
    team: 'History Harriers',
    athletes: [
      { name: 'Alex Archive', seed: 5 },
      { name: 'Sam Record', seed: 6 },
    ],
  });
  streamer = world.streamer;
  const { coach, team } = world;
  const [alex, sam] = world.athletes as [Account, Account];

  // Reached from the team card.
  const page = await coachCtx.newPage();
  await page.goto('/coach');
  await page.getByRole('region', { name: 'History Harriers' }).getByRole('link', { name: 'Alerts' }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${team.id}/alerts$`));
  await expect(page.getByRole('heading', { name: 'History Harriers: alert history' })).toBeVisible();
  await expect(page.getByText('Alerts appear here once one fires.')).toBeVisible();
  await expect(page.getByText(/· live$/)).toBeVisible();

  // Both athletes go above the threshold: the rows arrive over the team's socket, no reload.
  streamer.setHr(alex.id, 184);
  streamer.setHr(sam.id, 186);
  // The high-HR alert of an athlete (a jump alert may come with the step up and down).
  const highs = (name: string) =>
    page.getByTestId('alert-history-row').filter({ hasText: name }).filter({ hasText: 'High heart rate' });
  const row = (name: string) => highs(name).first();
  await expect(row('Alex Archive')).toBeVisible({ timeout: 20_000 });
  await expect(row('Sam Record')).toBeVisible({ timeout: 20_000 });
  await expect(row('Alex Archive')).toContainText('184 bpm');
  // Back down: the alerts clear, and the rows stay.
  streamer.setHr(alex.id, null);
  streamer.setHr(sam.id, null);
  await expect(row('Alex Archive').getByText('not cleared')).toHaveCount(0, { timeout: 20_000 });

  // Acknowledged here: the row stays and says who.
  await row('Alex Archive').getByRole('button', { name: 'Acknowledge' }).click();
  await expect(row('Alex Archive').getByTestId('alert-ack')).toContainText('Hana Historian');
  await expect(row('Alex Archive')).toHaveAttribute('data-acknowledged', 'true');

  // Acknowledged from another screen (the API, as a second device would): it shows live.
  const samId = await row('Sam Record').getAttribute('data-alert-id');
  await apiCall(request, coach.token, 'post', `/api/v1/alerts/${samId}/ack`, {});
  await expect(row('Sam Record')).toHaveAttribute('data-acknowledged', 'true', { timeout: 15_000 });
  await expect(row('Sam Record').getByTestId('alert-ack')).toContainText('Hana Historian');
  await snap(page, 'team-alerts-acked-360');

  // After a reload both are still listed, with who acknowledged them.
  streamer.stop();
  await page.reload();
  await expect(row('Alex Archive').getByTestId('alert-ack')).toContainText('Hana Historian');
  await expect(row('Sam Record').getByTestId('alert-ack')).toContainText('Hana Historian');

  // Filters narrow the list and survive a reload (they live in the address).
  await page.getByTestId('filter-athlete').selectOption({ label: 'Sam Record' });
  await expect(highs('Alex Archive')).toHaveCount(0);
  await expect(row('Sam Record')).toBeVisible();
  await page.getByTestId('filter-state').selectOption('unacknowledged');
  await expect(highs('Sam Record')).toHaveCount(0);
  await page.getByTestId('filter-state').selectOption('acknowledged');
  await page.reload();
  await expect(page.getByTestId('filter-athlete')).toHaveValue(sam.id);
  await expect(row('Sam Record')).toBeVisible();
  await expect(highs('Alex Archive')).toHaveCount(0);

  // By session: from a row, one athlete's session only (?sessionId), kept over a reload.
  await page.getByTestId('filter-athlete').selectOption('');
  await page.getByTestId('filter-state').selectOption('');
  await row('Alex Archive').getByRole('button', { name: 'Only this session' }).click();
  await expect(page).toHaveURL(/[?&]sessionId=[0-9a-f-]{36}/);
  await expect(highs('Sam Record')).toHaveCount(0);
  await expect(row('Alex Archive')).toBeVisible();
  await expect(row('Alex Archive').getByRole('link', { name: 'Open session' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('filter-session')).not.toHaveValue('');
  await expect(highs('Sam Record')).toHaveCount(0);
  await expect(row('Alex Archive')).toBeVisible();
  await page.getByTestId('filter-session').selectOption('');
  await expect(row('Sam Record')).toBeVisible();
  await coachCtx.close();
});
