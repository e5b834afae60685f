import { z } from 'zod';
import { consentSchema, emailSchema, membershipSchema } from './auth.ts';
import { nameSchema, uuidSchema } from './common.ts';
import { profileSummarySchema } from './profile.ts';

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  coach: z.object({ id: z.string(), name: z.string() }),
  /** The caller's role in the team (null for an admin who is not a member). */
  myRole: z.enum(['coach', 'athlete']).nullable(),
  athleteCount: z.number().int(),
});
export type Team = z.infer<typeof teamSchema>;

export const createTeamBodySchema = z.object({ name: nameSchema(100) });
export const teamResponseSchema = z.object({ team: teamSchema });
export const teamsResponseSchema = z.object({ teams: z.array(teamSchema) });

export const createInviteBodySchema = z.object({
  email: emailSchema,
  /** Mail the link to that address (default); false only creates the link to share by hand. */
  sendEmail: z.boolean().optional(),
});
export const inviteSchema = z.object({
  /** The invite's id (lists and revocation use it; the code cannot be shown again). */
  id: z.string(),
  code: z.string(),
  url: z.string(),
  email: z.string(),
  expiresAt: z.string(),
  /** True when the link was mailed to `email` (over SMTP, or into the outbox without SMTP). */
  emailed: z.boolean(),
});
export type Invite = z.infer<typeof inviteSchema>;
export const inviteResponseSchema = z.object({ invite: inviteSchema });
export const inviteCodeParamSchema = z.object({
  code: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[\w-]+$/, 'is not an invite code'),
});

export const invitePreviewResponseSchema = z.object({
  invite: z.object({
    teamId: z.string(),
    teamName: z.string(),
    coachName: z.string(),
    expiresAt: z.string(),
    status: z.enum(['pending', 'accepted', 'expired', 'revoked']),
  }),
});
export type InvitePreview = z.infer<typeof invitePreviewResponseSchema>['invite'];

/**
 * An invite not yet used, expired or revoked. Codes are stored hashed, so the link itself
 * cannot be shown again: a coach who lost it revokes the invite and creates a new one.
 */
export const pendingInviteSchema = z.object({
  id: z.string(),
  email: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
});
export type PendingInvite = z.infer<typeof pendingInviteSchema>;
export const pendingInvitesResponseSchema = z.object({ invites: z.array(pendingInviteSchema) });
export const teamInviteParamSchema = z.object({ id: uuidSchema, inviteId: uuidSchema });

/** The body may be left out entirely (no consent given means every scope is granted). */
export const acceptInviteBodySchema = z
  .object({
    consent: z
      .object({ live: z.boolean(), sessions: z.boolean(), wellness: z.boolean() })
      .partial()
      .optional(),
  })
  .nullish();
export const membershipResponseSchema = z.object({ membership: membershipSchema });

export const teamAthleteSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional(),
  consent: consentSchema,
  joinedAt: z.string(),
  /** Present when the athlete shares live or sessions data with the team. */
  profile: profileSummarySchema.nullable(),
});
export type TeamAthlete = z.infer<typeof teamAthleteSchema>;
export const teamAthletesResponseSchema = z.object({ athletes: z.array(teamAthleteSchema) });

export const updateConsentBodySchema = consentSchema;
export const teamAthleteParamSchema = z.object({ id: uuidSchema, athleteId: uuidSchema });

/** Alert thresholds by name (see core's Thresholds); null turns a rule off. */
export const thresholdValuesSchema = z.record(z.string(), z.number().nullable());

/**
 * A team's alert defaults: they apply to its athletes over the server's THRESHOLDS, and an
 * athlete's own overrides win over them. `server` is THRESHOLDS alone, `effective` THRESHOLDS ←
 * these defaults: what an athlete of this team without overrides of their own gets.
 */
export const teamAlertDefaultsSchema = z.object({
  teamId: uuidSchema,
  thresholds: thresholdValuesSchema,
  server: thresholdValuesSchema,
  effective: thresholdValuesSchema,
  updatedAt: z.string().nullable(),
  updatedBy: z.object({ id: uuidSchema, name: z.string() }).nullable(),
});
export type TeamAlertDefaults = z.infer<typeof teamAlertDefaultsSchema>;
export const teamAlertDefaultsResponseSchema = z.object({ defaults: teamAlertDefaultsSchema });
/** `PUT /teams/:teamId/alert-defaults`: the whole set; keys left out fall back to THRESHOLDS. */
export const teamAlertDefaultsBodySchema = z.object({ thresholds: thresholdValuesSchema }).strict();
