import type { MailMessage } from './send-mail.ts';

/** Every mail the product sends, with what each needs to say. */
export type MailKind =
  | { kind: 'password-reset'; to: string; name: string; link: string; minutes: number }
  | { kind: 'email-change-confirm'; to: string; name: string; link: string; hours: number }
  | { kind: 'email-changed-notice'; to: string; name: string; newEmail: string }
  | { kind: 'signup-confirm'; to: string; name: string; link: string; hours: number }
  | { kind: 'signup-existing'; to: string; name: string; signInLink: string; resetLink: string }
  | { kind: 'team-invite'; to: string; teamName: string; coachName: string; link: string; days: number };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const inWords = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Paragraphs (and at most one button link) as text and as simple, inline-styled HTML. */
function render(to: string, subject: string, paragraphs: string[], action?: { label: string; link: string }) {
  const text = [
    ...paragraphs.slice(0, 1),
    ...(action ? [`${action.label}: ${action.link}`] : []),
    ...paragraphs.slice(1),
  ]
    .concat('— Athlete Platform')
    .join('\n\n');
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const button = action
    ? `<p style="margin:0 0 16px"><a href="${escapeHtml(action.link)}" style="display:inline-block;padding:10px 18px;background:#0f766e;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#555">Or paste this link into your browser: ${escapeHtml(action.link)}</p>`
    : '';
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#111;max-width:560px">` +
    `${p(paragraphs[0] ?? '')}${button}${paragraphs.slice(1).map(p).join('')}` +
    `<p style="margin:0;color:#555">— Athlete Platform</p></body></html>`;
  return { to, subject, text, html } satisfies MailMessage;
}

/** Writes one of the product's mails; the link the reader must follow is in both bodies. */
export function composeMail(mail: MailKind): MailMessage {
  switch (mail.kind) {
    case 'password-reset':
      return render(
        mail.to,
        'Reset your Athlete Platform password',
        [
          `Hello ${mail.name}, someone (hopefully you) asked to reset the password of this account.`,
          `The link works once, for ${inWords(mail.minutes, 'minute')}. Using it signs out every device signed in to your account.`,
          'If you did not ask for this, ignore this mail: your password stays as it is.',
        ],
        { label: 'Choose a new password', link: mail.link },
      );
    case 'email-change-confirm':
      return render(
        mail.to,
        'Confirm your new email address',
        [
          `Hello ${mail.name}, confirm that you want to use ${mail.to} to sign in to Athlete Platform.`,
          `The link works once, for ${inWords(mail.hours, 'hour')}. Until you follow it, your old address stays in use.`,
          'If you did not ask for this, ignore this mail.',
        ],
        { label: 'Confirm this address', link: mail.link },
      );
    case 'email-changed-notice':
      return render(mail.to, 'Your Athlete Platform email address was changed', [
        `Hello ${mail.name}, the email address of your account was changed to ${mail.newEmail}. You now sign in with that address.`,
        'If this was not you, reset your password from the sign-in page and contact your administrator.',
      ]);
    case 'signup-confirm':
      return render(
        mail.to,
        'Finish creating your Athlete Platform account',
        [
          `Hello ${mail.name}, follow the link to finish creating your Athlete Platform account with ${mail.to}.`,
          `The link works once, for ${inWords(mail.hours, 'hour')}, and signs you in. No account exists until you follow it.`,
          'If you did not sign up, ignore this mail: nothing is created.',
        ],
        { label: 'Finish signing up', link: mail.link },
      );
    case 'signup-existing':
      return render(
        mail.to,
        'Someone tried to sign up with your email address',
        [
          `Hello ${mail.name}, someone (hopefully you) tried to create an Athlete Platform account with ${mail.to}, which already has an account. No new account was made.`,
          `Forgot your password? Choose a new one: ${mail.resetLink}`,
          'If this was not you, ignore this mail: nothing changed in your account.',
        ],
        { label: 'Sign in', link: mail.signInLink },
      );
    case 'team-invite':
      return render(
        mail.to,
        `${mail.coachName} invited you to ${mail.teamName}`,
        [
          `${mail.coachName} invited you to join the team ${mail.teamName} on Athlete Platform.`,
          `The invite works for ${inWords(mail.days, 'day')}. When you accept, you choose what the team may see of your data.`,
          'Sign in or create an account with this email address to accept.',
        ],
        { label: 'Open the invite', link: mail.link },
      );
  }
}
