import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { formatDateTime } from './format.ts';
import { inviteProblem } from './invite-problem.ts';

const invite = (status: 'pending' | 'accepted' | 'expired' | 'revoked') => ({
  status,
  teamName: 'Riverside Harriers',
  coachName: 'Morgan Coach',
  expiresAt: '2026-12-10T19:13:00.000Z',
});

describe('inviteProblem', () => {
  it('says nothing for an open invite', () => {
    expect(inviteProblem(invite('pending'), null)).toBeNull();
    expect(inviteProblem(undefined, null)).toBeNull();
  });

  it('names team, coach and, for an expired one, when it ended', () => {
    expect(inviteProblem(invite('accepted'), null)).toBe(
      'This invite to Riverside Harriers has already been used. If that was not you, ask Morgan Coach for a new one.',
    );
    expect(inviteProblem(invite('revoked'), null)).toBe(
      'Morgan Coach withdrew this invite to Riverside Harriers: ask them for a new one.',
    );
    expect(inviteProblem(invite('expired'), null)).toBe(
      `This invite to Riverside Harriers expired on ${formatDateTime('2026-12-10T19:13:00.000Z')}: ask Morgan Coach for a new one.`,
    );
  });

  it("a malformed code reads like a mistyped link; an unknown one gives the server's sentence", () => {
    const bad = new ApiError(400, 'VALIDATION_ERROR', 'params.code: is not an invite code');
    expect(inviteProblem(undefined, bad)).toContain('looks mistyped or cut short');
    const gone = new ApiError(404, 'NOT_FOUND', 'Invite not found: the link is wrong');
    expect(inviteProblem(undefined, gone)).toBe('Invite not found: the link is wrong');
  });
});
