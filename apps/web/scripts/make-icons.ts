/**
 * Renders public/favicon.svg to the PNG icons the web app manifest names (Chromium, as the e2e
 * tests use): `pnpm --filter @athlete/web exec tsx scripts/make-icons.ts`. The maskable icon
 * keeps the mark inside the central 80 % a launcher may crop to.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const pub = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const svg = readFileSync(join(pub, 'favicon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
for (const { file, size, inset } of [
  { file: 'icon-192.png', size: 192, inset: 0 },
  { file: 'icon-512.png', size: 512, inset: 0 },
  { file: 'icon-maskable-512.png', size: 512, inset: 0.1 },
]) {
  await page.setViewportSize({ width: size, height: size });
  const pad = Math.round(size * inset);
  await page.setContent(
    `<body style="margin:0;background:${inset ? '#0d1117' : 'transparent'}">` +
      `<div style="padding:${pad}px;width:${size - 2 * pad}px;height:${size - 2 * pad}px">` +
      svg.replace('<svg ', '<svg width="100%" height="100%" ') +
      '</div></body>',
  );
  await page.screenshot({ path: join(pub, file), omitBackground: !inset });
}
await browser.close();
