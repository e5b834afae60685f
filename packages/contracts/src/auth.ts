import { z } from 'zod';
import { nameSchema } from './common.ts';

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254));
export const newPasswordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters')
  .refine((v) => v.trim().length > 0, 'must not be only spaces');
export const roleSchema = z.enum(['athlete', 'coach', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const registerBodySchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: nameSchema(100),
  role: z.enum(['athlete', 'coach']),
});
export type RegisterBody = z.infer<typeof registerBodySchema>;

export const loginBodySchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'is required').max(200),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const consentSchema = z.object({ live: z.boolean(), sessions: z.boolean(), wellness: z.boolean() });
export type Consent = z.infer<typeof consentSchema>;

export const membershipSchema = z.object({
  teamId: z.string(),
  teamName: z.string(),
  role: z.enum(['coach', 'athlete']),
  consent: consentSchema,
  joinedAt: z.string(),
});
export type Membership = z.infer<typeof membershipSchema>;

/** A user as shown to themselves and to admins (never the password hash). */
export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const authResponseSchema = z.object({ user: userSchema, token: z.string() });
export type AuthResponse = z.infer<typeof authResponseSchema>;

/**
 * `POST /api/v1/auth/register` with SIGNUP_EMAIL_VERIFICATION=on: 202, byte for byte the same
 * whether or not the address already has an account (what happens next is told by mail only).
 */
export const signupPendingResponseSchema = z.object({
  status: z.literal('verification_sent'),
  /** The address as stored (trimmed, lower-cased), where the mail went. */
  email: z.string(),
  message: z.string(),
});
export type SignupPendingResponse = z.infer<typeof signupPendingResponseSchema>;

export const deleteAccountBodySchema = z.object({ password: z.string().min(1, 'is required').max(200) });
export type DeleteAccountBody = z.infer<typeof deleteAccountBodySchema>;

/** `PATCH /api/v1/me`: what a person may change about their account themselves. */
export const updateAccountBodySchema = z.object({ name: nameSchema(100) }).strict();
export type UpdateAccountBody = z.infer<typeof updateAccountBodySchema>;

export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: newPasswordSchema,
});
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const okResponseSchema = z.object({ ok: z.literal(true) });

/** The secret of an emailed link (32 random bytes, base64url): only its SHA-256 is stored. */
export const accountTokenSchema = z
  .string()
  .min(20, 'is not a valid link')
  .max(100, 'is not a valid link')
  .regex(/^[\w-]+$/, 'is not a valid link');

/** `POST /api/v1/auth/forgot-password`: answered 202 alike whether or not the address has an account. */
export const forgotPasswordBodySchema = z.object({ email: emailSchema });
export type ForgotPasswordBody = z.infer<typeof forgotPasswordBodySchema>;
export const forgotPasswordResponseSchema = z.object({ ok: z.literal(true), message: z.string() });
export type ForgotPasswordResponse = z.infer<typeof forgotPasswordResponseSchema>;

/** `POST /api/v1/auth/reset-password`: the token from the link and the new password. */
export const resetPasswordBodySchema = z.object({ token: accountTokenSchema, password: newPasswordSchema });
export type ResetPasswordBody = z.infer<typeof resetPasswordBodySchema>;

/** `POST /api/v1/me/email`: asks for a change; the new address must confirm it. */
export const changeEmailBodySchema = z.object({
  newEmail: emailSchema,
  password: z.string().min(1, 'is required').max(200),
});
export type ChangeEmailBody = z.infer<typeof changeEmailBodySchema>;
export const changeEmailResponseSchema = z.object({
  /** Where the confirmation link was sent; the account keeps its address until it is followed. */
  pendingEmail: z.string(),
  expiresAt: z.string(),
});
export type ChangeEmailResponse = z.infer<typeof changeEmailResponseSchema>;

/** `POST /api/v1/auth/complete-signup`: the link from the sign-up mail; answers 201 `{user, token}`. */
export const completeSignupBodySchema = z.object({ token: accountTokenSchema });
export type CompleteSignupBody = z.infer<typeof completeSignupBodySchema>;

/** `POST /api/v1/auth/confirm-email`: the link from the mail to the new address. */
export const confirmEmailBodySchema = z.object({ token: accountTokenSchema });
export type ConfirmEmailBody = z.infer<typeof confirmEmailBodySchema>;
export const confirmEmailResponseSchema = z.object({ email: z.string() });
export type ConfirmEmailResponse = z.infer<typeof confirmEmailResponseSchema>;
