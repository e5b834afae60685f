import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxMessage } from '@athlete/contracts';
import { simpleParser } from 'mailparser';
import type { Deps } from '../deps.ts';
import { outboxDir } from './send-mail.ts';

/**
 * The newest messages of the outbox (mail written to DATA_DIR/outbox because no SMTP_URL is
 * set), for an admin to read in the app and pass links on by hand. Empty when mail goes over
 * SMTP or nothing was sent yet.
 */
export async function listOutbox({ deps, limit = 50 }: { deps: Deps; limit?: number }): Promise<{
  delivery: 'smtp' | 'outbox';
  messages: OutboxMessage[];
}> {
  const dir = outboxDir(deps.config);
  const delivery = deps.config.SMTP_URL ? 'smtp' : 'outbox';
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.eml'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { delivery, messages: [] };
    throw err;
  }
  // File names start with the ISO time of writing, so a reverse sort is newest first.
  names.sort().reverse();
  const messages: OutboxMessage[] = [];
  for (const name of names.slice(0, limit)) {
    const mail = await simpleParser(await readFile(join(dir, name)));
    const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
    messages.push({
      id: name.replace(/\.eml$/, ''),
      to,
      from: mail.from?.text ?? '',
      subject: mail.subject ?? '',
      date: (mail.date ?? new Date(0)).toISOString(),
      text: mail.text ?? '',
    });
  }
  return { delivery, messages };
}
