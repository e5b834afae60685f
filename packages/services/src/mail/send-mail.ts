import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '@athlete/config';
import { createTransport, type Transporter } from 'nodemailer';
import type { Deps } from '../deps.ts';

/** A message as every mail of the product is written: plain text, simple HTML, one recipient. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SentMail {
  /** `smtp` when SMTP_URL is set, else `outbox` (an .eml file under DATA_DIR/outbox). */
  delivery: 'smtp' | 'outbox';
  messageId: string;
}

/** Where mail goes when no SMTP server is configured. */
export function outboxDir(config: Pick<Config, 'DATA_DIR'>): string {
  return join(config.DATA_DIR, 'outbox');
}

// One transport per configuration (a process has one; tests build several apps).
const transports = new WeakMap<Config, Transporter>();

function transportFor(config: Config): Transporter {
  let t = transports.get(config);
  if (!t) {
    t = config.SMTP_URL
      ? createTransport(config.SMTP_URL, { from: config.MAIL_FROM })
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from: config.MAIL_FROM });
    transports.set(config, t);
  }
  return t;
}

/**
 * The one way the product sends mail. With SMTP_URL the message goes to that server (a failure
 * throws: the caller decides whether to retry or tell the user); without it the rendered
 * message is written to the outbox as `<time>-<random>.eml`, written whole then renamed so a
 * reader never sees half a file. The log records the subject and delivery, never the body,
 * which may hold a single-use link.
 */
export async function sendMail({ deps, message }: { deps: Deps; message: MailMessage }): Promise<SentMail> {
  const transport = transportFor(deps.config);
  const info = await transport.sendMail({
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
  });
  if (deps.config.SMTP_URL) {
    deps.log.info({ subject: message.subject, messageId: info.messageId }, 'mail sent over SMTP');
    return { delivery: 'smtp', messageId: info.messageId };
  }
  const dir = outboxDir(deps.config);
  await mkdir(dir, { recursive: true });
  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
  const tmp = join(dir, `.${id}.tmp`);
  await writeFile(tmp, info.message as Buffer, { mode: 0o600 });
  await rename(tmp, join(dir, `${id}.eml`));
  deps.log.info({ subject: message.subject, outboxId: id }, 'mail written to the outbox (no SMTP_URL)');
  return { delivery: 'outbox', messageId: info.messageId };
}
