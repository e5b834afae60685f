import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the sink received it over SMTP. */
export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  /** For SMTP_URL: smtp://127.0.0.1:<port>. */
  url: string;
  received: ReceivedMail[];
  /** The next message for `to` not yet taken (waits for it up to `timeoutMs`). */
  next(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** Messages for `to` received and not yet taken (none waited for). */
  pending(to: string): ReceivedMail[];
  stop(): Promise<void>;
}

/**
 * A real SMTP server on a loopback port for tests: it speaks the protocol (smtp-server), accepts
 * every message without auth or TLS, and parses it with mailparser, as a mailbox would.
 */
export async function startSmtpSink(
  opts: {
    /** Also write each message as `<n>.json` ({to, subject, text, html}) here, for another process to read. */
    saveTo?: string;
  } = {},
): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail = {
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          };
          received.push({ ...mail, parsed });
          if (opts.saveTo) {
            const name = String(received.length).padStart(6, '0');
            writeFileSync(join(opts.saveTo, `${name}.json`), JSON.stringify(mail));
          }
          for (const w of waiters) w();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const pending = (to: string) => received.filter((m) => !taken.has(m) && m.to.includes(to.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    pending,
    next(to, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pending(to)[0];
          if (!m) return false;
          taken.add(m);
          waiters.delete(onMail);
          clearTimeout(timer);
          resolve(m);
          return true;
        };
        const onMail = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(onMail);
          reject(new Error(`no mail for ${to} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(onMail);
        check();
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
