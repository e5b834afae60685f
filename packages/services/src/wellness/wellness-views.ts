import type { SessionRpe, WellnessEntry } from '@athlete/contracts';
import { wellnessScore } from '@athlete/core';
import type { SessionRpe as SessionRpeRow, WellnessEntry as WellnessEntryRow } from '@athlete/db';

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function toWellnessOut(row: WellnessEntryRow): WellnessEntry {
  return {
    athleteId: row.athleteId,
    date: isoDay(row.date),
    sleepQuality: row.sleepQuality,
    fatigue: row.fatigue,
    soreness: row.soreness,
    stress: row.stress,
    mood: row.mood,
    note: row.note,
    score: wellnessScore(row),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toSessionRpeOut(row: SessionRpeRow): SessionRpe {
  return {
    sessionId: row.sessionId,
    athleteId: row.athleteId,
    rpe: row.rpe,
    durationMin: row.durationMin,
    load: row.load,
    updatedAt: row.updatedAt.toISOString(),
  };
}
