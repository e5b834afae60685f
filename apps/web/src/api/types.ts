/**
 * Shapes the SPA reads from the API. They come from `@athlete/contracts` (type-only imports, so
 * no zod reaches the bundle); the few not in the contracts yet follow DESIGN.md.
 */
import type {
  Alert as ContractAlert,
  Consent as ContractConsent,
  DailySummary as ContractDailySummary,
  Device as ContractDevice,
  Integration as ContractIntegration,
  Membership as ContractMembership,
  PendingInvite as ContractPendingInvite,
  Profile as ContractProfile,
  ProfileSummary as ContractProfileSummary,
  SessionLap as ContractSessionLap,
  Team as ContractTeam,
  TeamAthlete as ContractTeamAthlete,
  Me,
  Session,
  StoredSample,
} from '@athlete/contracts';

export type Role = 'athlete' | 'coach' | 'admin';
export type User = Me;
export type Profile = ContractProfile;
export type ProfileSummary = ContractProfileSummary;
export type Team = ContractTeam;
export type TeamAthlete = ContractTeamAthlete;
export type Consent = ContractConsent;
export type Membership = ContractMembership;
export type Device = ContractDevice;
export type TrainingSession = Session;
export type SessionSample = StoredSample;
export type SessionLap = ContractSessionLap;
export type DailySummary = ContractDailySummary;
export type Alert = ContractAlert & { athleteName?: string };

export interface AuthResponse {
  user: Omit<User, 'profile' | 'memberships'>;
  token: string;
}

export type PendingInvite = ContractPendingInvite;

export interface Invite {
  id: string;
  code: string;
  url?: string;
  email: string;
  expiresAt: string;
  /** True when the link was mailed to `email`. */
  emailed: boolean;
}

export type Integration = ContractIntegration;
