import type { Device } from '@athlete/contracts';

interface DeviceRow {
  id: string;
  name: string;
  kind: 'personal' | 'gateway';
  athleteId: string | null;
  teamId: string | null;
  keyPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A device as shown to its owner: never the key hash. */
export function toDeviceView(d: DeviceRow): Device {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    athleteId: d.athleteId,
    teamId: d.teamId,
    keyPrefix: d.keyPrefix,
    createdAt: d.createdAt.toISOString(),
    lastUsedAt: d.lastUsedAt?.toISOString() ?? null,
    revokedAt: d.revokedAt?.toISOString() ?? null,
  };
}
