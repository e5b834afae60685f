import { z } from 'zod';
import { userSchema } from './auth.ts';
import { textSchema } from './common.ts';

export const adminUsersQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** Case-insensitive match on email or name. */
  q: textSchema.trim().max(200).optional(),
});
export const adminUserSchema = userSchema.extend({ lastSeenAt: z.string().nullable() });
export type AdminUser = z.infer<typeof adminUserSchema>;
export const adminUsersResponseSchema = z.object({
  users: z.array(adminUserSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export const adminUserResponseSchema = z.object({ user: adminUserSchema });

/** A mail written to the outbox (no SMTP_URL): what an admin reads to pass a link on by hand. */
export const outboxMessageSchema = z.object({
  id: z.string(),
  to: z.string(),
  from: z.string(),
  subject: z.string(),
  date: z.string(),
  text: z.string(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export const outboxResponseSchema = z.object({
  /** `smtp` when mail leaves over SMTP_URL (the outbox then stays empty). */
  delivery: z.enum(['smtp', 'outbox']),
  messages: z.array(outboxMessageSchema),
});
export type OutboxResponse = z.infer<typeof outboxResponseSchema>;
