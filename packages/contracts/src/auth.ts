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
  .max(200, 'must be at most 200 characters');
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
