import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { email, PASSWORD, snap } from './helpers.ts';
import { linkIn, mailTo } from './mailbox.ts';

/**
 * Sign-up by emailed link needs SIGNUP_EMAIL_VERIFICATION=on, which the shared e2e server keeps
 * off (the other specs sign up with a 201). This spec starts its own server the same way
 * (e2e/serve.ts: fresh database, real SMTP sink) with the setting on, and its own mailbox.
 */
const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const mailbox = mkdtempSync(join(tmpdir(), 'ap-e2e-signup-mail-'));
let server: ChildProcess | null = null;
let base = '';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['--import', 'tsx', 'e2e/serve.ts'], {
    cwd: webDir,
    stdio: 'inherit',
    env: { ...process.env, E2E_PORT: String(port), E2E_MAILBOX: mailbox, SIGNUP_EMAIL_VERIFICATION: 'on' },
  });
  await expect
    .poll(
      () =>
        fetch(`${base}/readyz`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 120_000, intervals: [500] },
    )
    .toBe(200);
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(mailbox, { recursive: true, force: true });
});

const PHONE = { width: 390, height: 844 };
const fitsWidth = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

let formBox = { x: 0, width: 0 };
async function signUp(page: Page, name: string, address: string, password: string, next?: string) {
  await page.goto(`${base}/register${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  formBox = (await page.locator('main form').boundingBox())!;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(address);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
}

test('sign-up by emailed link: the same answer for a taken address, the link signs in once', async ({
  browser,
}) => {
  const address = email('quinn.verified');
  const ctx = await browser.newContext({ viewport: PHONE });
  const page = await ctx.newPage();
  await signUp(page, 'Quinn Verified', address, PASSWORD);
  const sent = page.locator('main');
  await expect(sent).toContainText(`We sent a mail to ${address}`);
  // The same column as the form it replaces: on a phone its padding once differed.
  const column = (await page.locator('main > .stack').boundingBox())!;
  expect([column.x, column.width]).toEqual([formBox.x, formBox.width]);
  const sentText = await sent.textContent();
  await fitsWidth(page);
  await snap(page, 'register-check-email-390');
  // Nothing is signed in yet: the app still sends a visitor to sign in.
  await page.goto(`${base}/today`);
  await expect(page).toHaveURL(/\/login/);

  const mail = await mailTo(address, 'Finish creating your Athlete Platform account', mailbox);
  const link = linkIn(mail, '/complete-signup');
  expect(link.startsWith(`${base}/complete-signup?token=`)).toBe(true);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Finish signing up' })).toBeVisible();
  await fitsWidth(page);
  await snap(page, 'complete-signup-390');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/\/onboarding$/);
  await expect(page.getByRole('heading', { name: 'Welcome, Quinn' })).toBeVisible();

  // Someone else signs up with the taken address: the page says exactly the same.
  const other = await browser.newContext();
  const second = await other.newPage();
  await signUp(second, 'Not Quinn', address, 'someone else entirely 42');
  expect(await second.locator('main').textContent()).toBe(sentText);
  const notice = await mailTo(address, 'Someone tried to sign up with your email address', mailbox);
  expect(notice.text).toContain('No new account was made.');
  await second.goto(linkIn(notice, '/login'));
  await second.getByLabel('Email').fill(address);
  await second.getByLabel('Password').fill('someone else entirely 42');
  await second.getByRole('button', { name: 'Sign in' }).click();
  await expect(second.getByText('Wrong email or password.')).toBeVisible();

  // The link a second time: used, with the way to a new one.
  await second.goto(link);
  await second.getByRole('button', { name: 'Create my account' }).click();
  await expect(second.getByText('This link has already been used.')).toBeVisible();
  await expect(second.getByRole('link', { name: 'Sign up again for a new link' })).toBeVisible();
  await other.close();
  await ctx.close();
});

test('sign-up by emailed link resumes where it started (an invite, say) in the same browser', async ({
  browser,
}) => {
  const address = email('rio.resumed');
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signUp(page, 'Rio Resumed', address, PASSWORD, '/settings/account');
  const mail = await mailTo(address, 'Finish creating your Athlete Platform account', mailbox);
  await page.goto(linkIn(mail, '/complete-signup'));
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/\/settings\/account$/);
  await expect(page.getByTestId('current-email')).toHaveText(address);
  await ctx.close();
});
