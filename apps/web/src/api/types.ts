/**
 * Names the SPA's components use for the API's shapes, all from `@athlete/contracts`. What a
 * request answers is typed by its route in `API_ROUTES` (see `call` in client.ts).
 */
import type {
  Alert as ContractAlert,
  Consent as ContractConsent,
  DailySummary as ContractDailySummary,
  Device as ContractDevice,
  Integration as ContractIntegration,
  Invite as ContractInvite,
  Membership as ContractMembership,
  PendingInvite as ContractPendingInvite,
  Profile as ContractProfile,
  SessionLap as ContractSessionLap,
  Team as ContractTeam,
  TeamAthlete as ContractTeamAthlete,
  Me,
  Session,
} from '@athlete/contracts';

export type Role = 'athlete' | 'coach' | 'admin';
export type User = Me;
export type Profile = ContractProfile;
export type Team = ContractTeam;
export type TeamAthlete = ContractTeamAthlete;
export type Consent = ContractConsent;
export type Membership = ContractMembership;
export type Device = ContractDevice;
export type TrainingSession = Session;
export type SessionLap = ContractSessionLap;
export type DailySummary = ContractDailySummary;
export type Alert = ContractAlert;

export type PendingInvite = ContractPendingInvite;
export type Invite = ContractInvite;

export type Integration = ContractIntegration;
