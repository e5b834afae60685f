import type { RegisterBody } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { enqueue, JobPriority } from '../jobs/define.ts';
import { signupMailJob } from './account-jobs.ts';
import { issueAccountToken } from './issue-account-token.ts';
import { hashPassword } from './password.ts';
import { assertGuessResistant } from './password-strength.ts';

/**
 * Sign-up with SIGNUP_EMAIL_VERIFICATION=on. Does the same work for every address (password
 * check, scrypt hash, one pending row, one queued job) and never looks the address up, so
 * neither the answer nor its timing tells whether it has an account; the job alone finds out
 * and mails either the link that creates the account or a "someone tried" notice.
 */
export async function startSignup({
  deps,
  input,
  role,
}: {
  deps: Deps;
  input: Omit<RegisterBody, 'role'>;
  role: 'athlete' | 'coach';
}): Promise<{ email: string }> {
  assertGuessResistant(input.password, { field: 'body.password', userInputs: [input.email, input.name] });
  const passwordHash = await hashPassword(input.password);
  // The secret made here is never sent: the job replaces it (tokens never enter the queue).
  const { id } = await issueAccountToken({
    deps,
    userId: null,
    purpose: 'signup',
    ttlMinutes: deps.config.SIGNUP_LINK_TTL_MINUTES,
    newEmail: input.email,
    signup: { name: input.name, role, passwordHash },
  });
  await enqueue(deps, signupMailJob, { pendingId: id }, { priority: JobPriority.user });
  return { email: input.email };
}
