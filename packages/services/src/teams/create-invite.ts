import { randomBytes } from 'node:crypto';
import type { UserPrincipal } from '../access/principal.ts';
import { hashSecret } from '../accounts/tokens.ts';
import type { Deps } from '../deps.ts';
import { appLink } from '../mail/app-link.ts';
import { composeMail } from '../mail/compose-mail.ts';
import { sendMail } from '../mail/send-mail.ts';
import { teamAccess } from './team-access.ts';

export const INVITE_TTL_MS = 7 * 24 * 3_600_000;

/** Where the web app shows an invite (relative when PUBLIC_URL is not configured). */
export function inviteUrl(deps: Deps, code: string): string {
  const base = deps.config.PUBLIC_URL?.replace(/\/+$/, '') ?? '';
  return `${base}/invite/${code}`;
}

/**
 * A coach invites an athlete by email. The code is a bearer capability (128 random bits) valid
 * for 7 days and for the invited email only. Unless `sendEmail` is false the link is mailed to
 * that address; a mail that cannot be sent leaves the invite in place (`emailed: false`) for
 * the coach to share the link by hand. The log never records the code.
 */
export async function createInvite({
  deps,
  principal,
  teamId,
  email,
  sendEmail = false,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  email: string;
  /** Mail the link to `email` (the API's default; services calling this for fixtures do not). */
  sendEmail?: boolean;
}): Promise<{ id: string; code: string; url: string; email: string; expiresAt: string; emailed: boolean }> {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  const code = randomBytes(16).toString('base64url');
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  const invite = await deps.db.prisma.teamInvite.create({
    data: { teamId, code: hashSecret(code), email, createdById: principal.userId, expiresAt },
    include: { team: { select: { name: true } }, createdBy: { select: { name: true } } },
  });
  let emailed = false;
  if (sendEmail) {
    try {
      await sendMail({
        deps,
        message: composeMail({
          kind: 'team-invite',
          to: email,
          teamName: invite.team.name,
          coachName: invite.createdBy.name,
          link: appLink(deps.config, `/invite/${code}`),
          days: Math.round(INVITE_TTL_MS / 86_400_000),
        }),
      });
      emailed = true;
    } catch (err) {
      deps.log.error({ err, teamId }, 'could not mail a team invite; the coach can share the link');
    }
  }
  deps.log.info({ teamId, invitedBy: principal.userId, emailed }, 'team invite created');
  return {
    id: invite.id,
    code,
    url: inviteUrl(deps, code),
    email,
    expiresAt: expiresAt.toISOString(),
    emailed,
  };
}
