/**
 * Shapes the SPA reads from the API, following the contract in DESIGN.md. Where
 * `@athlete/contracts` exports a schema's type, it is re-exported here so pages import one place.
 */

export type Role = 'athlete' | 'coach' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt?: string;
}

export interface AuthResponse {
  user: User;
  token: string;
}

export interface Profile {
  birthYear: number | null;
  sex: 'female' | 'male' | 'other' | null;
  weightKg: number | null;
  hrMax: number | null;
  hrRest: number | null;
  hrZones: number[];
  thresholds: Record<string, number | null> | null;
}

export interface Team {
  id: string;
  name: string;
  createdAt?: string;
  role?: 'coach' | 'athlete';
}

export interface Consent {
  live: boolean;
  sessions: boolean;
  wellness: boolean;
}

export interface TeamAthlete {
  id: string;
  name: string;
  email?: string;
  consent?: Consent;
  joinedAt?: string;
  hrMax?: number | null;
  hrRest?: number | null;
  hrZones?: number[];
  birthYear?: number | null;
}

export interface Invite {
  id?: string;
  code: string;
  email?: string;
  expiresAt?: string;
  acceptedAt?: string | null;
  teamId?: string;
  teamName?: string;
}

export interface Device {
  id: string;
  name: string;
  kind: 'personal' | 'gateway';
  keyPrefix: string;
  athleteId: string | null;
  teamId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TrainingSession {
  id: string;
  athleteId: string;
  source: 'live' | 'simulator' | 'garmin' | 'whoop' | 'file';
  sport: string | null;
  status: 'open' | 'closed';
  startedAt: string;
  endedAt: string | null;
  durationS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  avgSpeed: number | null;
  maxSpeed: number | null;
  timeInZonesS: number[];
  trimp: number | null;
  calories?: number | null;
}

export interface SessionSample {
  ts: number | string;
  hr?: number | null;
  speed?: number | null;
  distance?: number | null;
  lat?: number | null;
  lon?: number | null;
  alt?: number | null;
  cadence?: number | null;
  power?: number | null;
}

export interface DailySummary {
  date: string;
  source: 'whoop' | 'garmin' | 'live' | 'file' | 'merged';
  restingHr: number | null;
  hrvRmssdMs: number | null;
  sleepDurationS: number | null;
  sleepScore: number | null;
  recoveryScore: number | null;
  strain: number | null;
  steps?: number | null;
  trainingLoad: number | null;
  /** merged rows: which source supplied each metric */
  sources?: Record<string, string> | null;
}

export interface Alert {
  id: string;
  athleteId: string;
  athleteName?: string;
  sessionId?: string | null;
  rule: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  value?: number | null;
  threshold?: number | null;
  startedAt: string;
  clearedAt?: string | null;
  acknowledgedAt?: string | null;
}

export interface Integration {
  provider: 'whoop' | 'garmin';
  status: 'active' | 'error' | 'disconnected' | 'revoked' | 'not_connected';
  connected?: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  sync?: {
    status: 'queued' | 'running' | 'succeeded' | 'failed';
    progress?: { done?: number; total?: number; unit?: string } | null;
    error?: string | null;
  } | null;
}

/** One live sample as it arrives on /ws/live (per athlete). */
export interface LiveSample {
  athleteId: string;
  ts: number;
  hr?: number | null;
  speed?: number | null;
  distance?: number | null;
  lat?: number | null;
  lon?: number | null;
  alt?: number | null;
  cadence?: number | null;
  power?: number | null;
  sessionId?: string | null;
}
