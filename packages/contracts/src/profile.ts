import { z } from 'zod';
import { membershipSchema, userSchema } from './auth.ts';

export const sexSchema = z.enum(['female', 'male', 'other']);
export const precedenceSourceSchema = z.enum(['whoop', 'garmin', 'live', 'file']);

const bpm = z.number().int('must be a whole number').min(25).max(250);

/** Upper bounds (bpm) of HR zones 1..5, strictly ascending. */
export const hrZonesSchema = z
  .array(bpm)
  .length(5, 'must list the upper bounds of exactly 5 zones')
  .refine((z5) => z5.every((v, i) => i === 0 || v > (z5[i - 1] ?? 0)), 'must be strictly ascending');

/** One HR zone in effect: [min, max) bpm; zone 5 also holds everything above its max. */
export const hrZoneSchema = z.object({
  zone: z.number().int().min(1).max(5),
  name: z.string(),
  min: z.number(),
  max: z.number(),
});
export type HrZoneOut = z.infer<typeof hrZoneSchema>;

/**
 * Zones 1..5 in effect, exactly as every computation uses them (core's athleteZones: live
 * sample zones, session time in zones). HR below zone 1's min is "below zone 1".
 */
export const zonesInEffectSchema = z.array(hrZoneSchema).length(5);
const hrMaxSourceSchema = z.enum(['profile', 'estimated', 'default']);

/** Who supplied a stored profile value: the athlete, or a provider sync that filled it. */
export const profileValueSourceSchema = z.enum(['user', 'whoop', 'garmin']);
export type ProfileValueSource = z.infer<typeof profileValueSourceSchema>;
/** The profile fields a provider sync may fill; each records its source. */
export const PROFILE_SOURCED_FIELDS = ['birthYear', 'sex', 'weightKg', 'hrMax', 'hrRest'] as const;
export type ProfileSourcedField = (typeof PROFILE_SOURCED_FIELDS)[number];
/**
 * Per field, who supplied the stored value (null: unset, or set before sources were recorded).
 * A provider's value follows that provider until the athlete changes it; clearing the field
 * hands it back to providers.
 */
export const profileSourcesSchema = z.object({
  birthYear: profileValueSourceSchema.nullable(),
  sex: profileValueSourceSchema.nullable(),
  weightKg: profileValueSourceSchema.nullable(),
  hrMax: profileValueSourceSchema.nullable(),
  hrRest: profileValueSourceSchema.nullable(),
});
export type ProfileSources = z.infer<typeof profileSourcesSchema>;

export const profileSchema = z.object({
  birthYear: z.number().int().nullable(),
  sex: sexSchema.nullable(),
  weightKg: z.number().nullable(),
  hrMax: z.number().int().nullable(),
  hrRest: z.number().int().nullable(),
  /** HR max used for zones and alerts: the stored one, else estimated from age, else 190. */
  effectiveHrMax: z.number().int(),
  hrMaxSource: hrMaxSourceSchema,
  /** Upper bounds of zones 1..5 in effect. */
  hrZones: z.array(z.number().int()).length(5),
  /** Zones 1..5 in effect (bounds and names), the ones live data and summaries use. */
  zones: zonesInEffectSchema,
  /** True when hrZones are derived from HR max/rest rather than set by the athlete. */
  zonesDerived: z.boolean(),
  /** Per-athlete alert threshold overrides (see THRESHOLDS). */
  thresholds: z.record(z.string(), z.number().nullable()).nullable(),
  sourcePrecedence: z.array(precedenceSourceSchema),
  /** Who supplied each stored value (see profileSourcesSchema). */
  sources: profileSourcesSchema,
  updatedAt: z.string().nullable(),
});
export type Profile = z.infer<typeof profileSchema>;

/** Fields present are changed; null clears a field (hrZones: null → derived again). */
export const profileUpdateBodySchema = z
  .object({
    birthYear: z.number().int().min(1900).max(2100).nullable(),
    sex: sexSchema.nullable(),
    weightKg: z.number().min(20).max(400).nullable(),
    hrMax: z.number().int().min(100).max(250).nullable(),
    hrRest: z.number().int().min(25).max(120).nullable(),
    hrZones: hrZonesSchema.nullable(),
    thresholds: z.record(z.string(), z.number().nullable()).nullable(),
    sourcePrecedence: z
      .array(precedenceSourceSchema)
      .max(4)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a source'),
  })
  .partial()
  .strict();
export type ProfileUpdate = z.infer<typeof profileUpdateBodySchema>;

export const profileResponseSchema = z.object({ profile: profileSchema });

/** What a coach with consent sees of an athlete's profile. */
export const profileSummarySchema = z.object({
  /** HR max in effect (stored, estimated from age, or 190; see hrMaxSource). */
  hrMax: z.number().int(),
  hrMaxSource: hrMaxSourceSchema,
  /** HR rest in effect (null when unknown or not below HR max). */
  hrRest: z.number().int().nullable(),
  hrZones: z.array(z.number().int()).length(5),
  zones: zonesInEffectSchema,
  zonesDerived: z.boolean(),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;
export const profileSummaryResponseSchema = z.object({
  athleteId: z.string(),
  name: z.string(),
  profile: profileSummarySchema,
});

/** How numbers are shown: metric (km, km/h, min/km, m, kg) or imperial (mi, mph, min/mi, ft, lb). */
export const unitSystemSchema = z.enum(['metric', 'imperial'], { error: 'must be metric or imperial' });

/**
 * A person's display preferences, kept on the user (coaches read distances and times too).
 * Storage and the API stay SI and UTC; only what people see changes.
 */
export const preferencesSchema = z.object({
  units: unitSystemSchema,
  /** IANA time zone name (e.g. "Europe/Berlin"); null shows times in the browser's own zone. */
  timeZone: z.string().nullable(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/** `PUT /api/v1/me/preferences`: fields present are changed; timeZone null → the browser's. */
export const preferencesUpdateBodySchema = z
  .object({
    units: unitSystemSchema,
    timeZone: z.string().trim().max(64, 'must be a time zone name such as Europe/London').nullable(),
  })
  .partial()
  .strict();
export type PreferencesUpdate = z.infer<typeof preferencesUpdateBodySchema>;
export const preferencesResponseSchema = z.object({ preferences: preferencesSchema });

/** `GET /api/v1/me`: the user with their athlete profile (athletes) and team memberships. */
export const meResponseSchema = z.object({
  user: userSchema.extend({
    profile: profileSchema.nullable(),
    memberships: z.array(membershipSchema),
    preferences: preferencesSchema,
  }),
});
export type Me = z.infer<typeof meResponseSchema>['user'];
