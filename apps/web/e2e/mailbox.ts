import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

function all(dir: string): Mail[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Mail);
}

/**
 * The latest mail to `to` with this subject, as the server's SMTP sink received it (waits for it).
 * `dir` is where the sink saves mail: the shared server's unless a spec runs its own.
 */
export async function mailTo(to: string, subject: string, dir = process.env.E2E_MAILBOX!): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        found = all(dir)
          .reverse()
          .find((m) => m.to.includes(to.toLowerCase()) && m.subject === subject);
        return Boolean(found);
      },
      { message: `a mail "${subject}" to ${to}` },
    )
    .toBe(true);
  return found!;
}

/** The link to `path` in a mail's text body. */
export function linkIn(mail: Mail, path: string): string {
  const link = [...mail.text.matchAll(/https?:\/\/\S+/g)]
    .map((m) => m[0])
    .find((l) => new URL(l).pathname.startsWith(path));
  expect(link, `a ${path} link in "${mail.subject}"`).toBeDefined();
  return link!;
}
