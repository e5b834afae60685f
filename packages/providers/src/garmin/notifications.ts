import { z } from 'zod';
import {
  type GarminSummaryOf,
  type GarminSummaryType,
  garminSummarySchemas,
  isGarminSummaryType,
} from './summary-types.ts';

export const garminPingItemSchema = z.object({
  userId: z.string(),
  callbackURL: z.string().url(),
  /** Legacy OAuth1 field, being retired: never rely on it. */
  userAccessToken: z.string().optional(),
});

export const garminActivityFilePingSchema = z.object({
  userId: z.string(),
  summaryId: z.string(),
  fileType: z.enum(['FIT', 'TCX', 'GPX']),
  callbackURL: z.string().url(),
  activityType: z.string().optional(),
  deviceName: z.string().optional(),
  startTimeInSeconds: z.number().int().optional(),
  activityId: z.number().int().optional(),
  activityName: z.string().optional(),
  activityDescription: z.string().optional(),
  manual: z.boolean().optional(),
});
export type GarminActivityFilePing = z.infer<typeof garminActivityFilePingSchema>;

export const garminDeregistrationSchema = z.object({ userId: z.string() });

export const garminUserPermissionsChangeSchema = z.object({
  userId: z.string(),
  summaryId: z.string().optional(),
  permissions: z.array(z.string()),
  changeTimeInSeconds: z.number().int(),
});

/**
 * The envelope of every ping/push POST: each key is a summary type (or `deregistrations`,
 * `userPermissionsChange`) holding an array. Items are validated per key by `parseGarminNotification`.
 */
export const garminNotificationEnvelopeSchema = z.record(z.string(), z.array(z.unknown()));

export type GarminNotification =
  | { kind: 'ping'; summaryType: GarminSummaryType; userId: string; callbackURL: string }
  | { kind: 'activityFile'; userId: string; file: GarminActivityFilePing }
  | {
      [T in GarminSummaryType]: { kind: 'push'; summaryType: T; userId: string; summary: GarminSummaryOf<T> };
    }[GarminSummaryType]
  | { kind: 'deregistration'; userId: string }
  | { kind: 'permissionsChange'; userId: string; permissions: string[]; changeTimeInSeconds: number };

export interface ParsedGarminNotifications {
  notifications: GarminNotification[];
  /** Items that did not validate, with the reason; the rest of the body is still usable. */
  rejected: { key: string; index: number; reason: string }[];
  /** Keys we do not know (Garmin adds types); ignored. */
  unknownKeys: string[];
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`).join('; ');
}

/**
 * Splits a ping/push body into typed notifications. Throws only when the body is not the
 * documented envelope at all; bad items are reported in `rejected`.
 */
export function parseGarminNotification(body: unknown): ParsedGarminNotifications {
  const envelope = garminNotificationEnvelopeSchema.parse(body);
  const result: ParsedGarminNotifications = { notifications: [], rejected: [], unknownKeys: [] };

  for (const [key, items] of Object.entries(envelope)) {
    items.forEach((item, index) => {
      const reject = (reason: string) => result.rejected.push({ key, index, reason });
      if (key === 'deregistrations') {
        const parsed = garminDeregistrationSchema.safeParse(item);
        if (parsed.success) result.notifications.push({ kind: 'deregistration', userId: parsed.data.userId });
        else reject(issuesText(parsed.error));
        return;
      }
      if (key === 'userPermissionsChange') {
        const parsed = garminUserPermissionsChangeSchema.safeParse(item);
        if (parsed.success) {
          const { userId, permissions, changeTimeInSeconds } = parsed.data;
          result.notifications.push({ kind: 'permissionsChange', userId, permissions, changeTimeInSeconds });
        } else reject(issuesText(parsed.error));
        return;
      }
      if (!isGarminSummaryType(key)) {
        if (index === 0) result.unknownKeys.push(key);
        return;
      }
      if (key === 'activityFiles') {
        const parsed = garminActivityFilePingSchema.safeParse(item);
        if (parsed.success) {
          result.notifications.push({ kind: 'activityFile', userId: parsed.data.userId, file: parsed.data });
        } else reject(issuesText(parsed.error));
        return;
      }
      const isPing = typeof item === 'object' && item !== null && 'callbackURL' in item;
      if (isPing) {
        const parsed = garminPingItemSchema.safeParse(item);
        if (parsed.success) {
          const { userId, callbackURL } = parsed.data;
          result.notifications.push({ kind: 'ping', summaryType: key, userId, callbackURL });
        } else reject(issuesText(parsed.error));
        return;
      }
      const userId = garminDeregistrationSchema.safeParse(item);
      const summary = garminSummarySchemas[key].safeParse(item);
      if (!userId.success) reject(issuesText(userId.error));
      else if (!summary.success) reject(issuesText(summary.error));
      else {
        result.notifications.push({
          kind: 'push',
          summaryType: key,
          userId: userId.data.userId,
          summary: summary.data,
        } as GarminNotification);
      }
    });
  }
  return result;
}
