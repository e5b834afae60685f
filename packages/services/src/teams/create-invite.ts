import { randomBytes } from 'node:crypto';
import type { UserPrincipal } from '../access/principal.ts';
import { hashSecret } from '../accounts/tokens.ts';
import type { Deps } from '../deps.ts';
import { teamAccess } from './team-access.ts';

export const INVITE_TTL_MS = 7 * 24 * 3_600_000;

/** Where the web app shows an invite (relative when PUBLIC_URL is not configured). */
export function inviteUrl(deps: Deps, code: string): string {
  const base = deps.config.PUBLIC_URL?.replace(/\/+$/, '') ?? '';
  return `${base}/invite/${code}`;
}

/**
 * A coach invites an athlete by email. The code is a bearer capability (128 random bits) valid
 * for 7 days and for the invited email only. With no mail transport configured, delivery is
 * the coach sharing the link; the log records that an invite exists, never its code.
 */
export async function createInvite({
  deps,
  principal,
  teamId,
  email,
}: {
  deps: Deps;
  principal: UserPrincipal;
  teamId: string;
  email: string;
}): Promise<{ id: string; code: string; url: string; email: string; expiresAt: string }> {
  await teamAccess({ deps, principal, teamId, need: 'coach' });
  const code = randomBytes(16).toString('base64url');
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  const invite = await deps.db.prisma.teamInvite.create({
    data: { teamId, code: hashSecret(code), email, createdById: principal.userId, expiresAt },
  });
  deps.log.info(
    { teamId, invitedBy: principal.userId },
    'team invite created (no mail transport: share the link)',
  );
  return { id: invite.id, code, url: inviteUrl(deps, code), email, expiresAt: expiresAt.toISOString() };
}
