import { z } from 'zod';
import { defineJob } from '../jobs/define.ts';
import { sendPasswordResetMail } from './send-password-reset-mail.ts';
import { sendSignupMail } from './send-signup-mail.ts';

/**
 * Mails a reset link to an address if it has an account. Queued for every request alike, so
 * the request's answer and timing say nothing about the address; the payload holds no secret
 * (the token is made here, and only its hash stored).
 */
export const passwordResetMailJob = defineJob({
  name: 'accounts.password-reset-mail',
  payload: z.object({ email: z.string() }),
  // Mail servers refuse for a while; past a few minutes the person has asked again anyway.
  defaults: { attempts: 4, backoffMs: 5_000 },
  handler: (deps, { email }) => sendPasswordResetMail({ deps, email }),
});

/**
 * Mails the outcome of a verified sign-up (a link, or a "someone tried" notice). The payload is
 * the pending row's id only: the job looks the address up and makes the link's secret itself.
 */
export const signupMailJob = defineJob({
  name: 'accounts.signup-mail',
  payload: z.object({ pendingId: z.uuid() }),
  defaults: { attempts: 4, backoffMs: 5_000 },
  handler: (deps, { pendingId }) => sendSignupMail({ deps, pendingId }),
});

export const accountJobs = [passwordResetMailJob, signupMailJob];
