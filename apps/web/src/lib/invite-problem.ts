import type { InvitePreview } from '@athlete/contracts';
import { ApiError, errorMessage } from '../api/client.ts';
import { formatDateTime } from './format.ts';

/** Why a link cannot be used, in words, said as soon as the page opens. */
export function inviteProblem(
  invite: Pick<InvitePreview, 'status' | 'teamName' | 'coachName' | 'expiresAt'> | undefined,
  error: unknown,
): string | null {
  if (error) {
    // A malformed code (400) and an unknown one (404) are the same to the person holding it.
    if (error instanceof ApiError && error.status === 400)
      return 'This invite link is not valid: it looks mistyped or cut short. Open the link from the message again, or ask your coach for a new one.';
    return errorMessage(error);
  }
  if (!invite) return null;
  if (invite.status === 'accepted')
    return `This invite to ${invite.teamName} has already been used. If that was not you, ask ${invite.coachName} for a new one.`;
  if (invite.status === 'revoked')
    return `${invite.coachName} withdrew this invite to ${invite.teamName}: ask them for a new one.`;
  if (invite.status === 'expired')
    return `This invite to ${invite.teamName} expired on ${formatDateTime(invite.expiresAt)}: ask ${invite.coachName} for a new one.`;
  return null;
}
