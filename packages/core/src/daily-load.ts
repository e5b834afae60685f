/** Daily training load from sessions of every source, each activity counted once. */
import { banisterTrimpIncrement, type TrimpProfile } from './load.ts';
import { localDay } from './units.ts';

export interface LoadSession {
  id: string;
  source: string;
  startedAt: number;
  endedAt: number | null;
  durationS: number | null;
  avgHr: number | null;
  /** Banister TRIMP from the session's 1 Hz samples, when it has them. */
  trimp: number | null;
  sport?: string | null;
}

/** samples: TRIMP summed over HR samples; avg-hr: Banister's original formula on average HR × duration. */
export type LoadMethod = 'samples' | 'avg-hr' | 'none';

export interface SessionLoad {
  id: string;
  source: string;
  /** Day the session started in the athlete's time zone (UTC without one), YYYY-MM-DD. */
  date: string;
  startedAt: number;
  sport: string | null;
  load: number | null;
  method: LoadMethod;
  counted: boolean;
  /** The session that counted instead, when this one is the same activity from another source. */
  duplicateOf: string | null;
}

/** Sessions overlapping by at least this share of the shorter one are one activity. */
export const DUPLICATE_OVERLAP = 0.5;

/** A session's TRIMP: from its samples, else Banister on average HR × duration, else none (no HR). */
export function sessionTrimp(
  s: LoadSession,
  profile: TrimpProfile,
): { load: number | null; method: LoadMethod } {
  if (s.trimp !== null && Number.isFinite(s.trimp)) return { load: s.trimp, method: 'samples' };
  if (s.avgHr !== null && s.avgHr > 0 && s.durationS !== null && s.durationS > 0)
    return { load: banisterTrimpIncrement(s.avgHr, s.durationS, profile), method: 'avg-hr' };
  return { load: null, method: 'none' };
}

const endOf = (s: LoadSession) => s.endedAt ?? s.startedAt + Math.max(0, s.durationS ?? 0) * 1000;

/**
 * Loads per session, with duplicates resolved: sessions overlapping by ≥ 50 % of the shorter one
 * are one activity, counted once from the first source in `precedence` (unlisted sources after
 * it), then the one with the richer load method, then the earliest start. Each counts on the
 * day it started in `timeZone` (the athlete's; null → UTC).
 */
export function sessionLoads(
  sessions: readonly LoadSession[],
  profile: TrimpProfile,
  precedence: readonly string[],
  timeZone: string | null = null,
): SessionLoad[] {
  const rank = (source: string) => {
    const i = precedence.indexOf(source);
    return i === -1 ? precedence.length : i;
  };
  const methodRank: Record<LoadMethod, number> = { samples: 0, 'avg-hr': 1, none: 2 };
  const rows = [...sessions]
    .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id))
    .map((s) => ({ s, ...sessionTrimp(s, profile), end: endOf(s) }));
  // Sweep in start order over the sessions still running: a session joins the group of an
  // earlier one it overlaps enough.
  const groupOf = new Map<string, number>();
  const groups: (typeof rows)[] = [];
  let active: typeof rows = [];
  for (const a of rows) {
    active = active.filter((b) => b.end > a.s.startedAt);
    let joined = -1;
    for (const b of active) {
      const overlap = Math.min(a.end, b.end) - Math.max(a.s.startedAt, b.s.startedAt);
      const shorter = Math.min(a.end - a.s.startedAt, b.end - b.s.startedAt);
      if (shorter > 0 && overlap >= DUPLICATE_OVERLAP * shorter) {
        joined = groupOf.get(b.s.id)!;
        break;
      }
    }
    if (joined === -1) {
      joined = groups.length;
      groups.push([]);
    }
    groups[joined]!.push(a);
    groupOf.set(a.s.id, joined);
    active.push(a);
  }
  const out = new Map<string, SessionLoad>();
  for (const group of groups) {
    const winner = [...group].sort(
      (x, y) =>
        rank(x.s.source) - rank(y.s.source) ||
        methodRank[x.method] - methodRank[y.method] ||
        x.s.startedAt - y.s.startedAt,
    )[0]!;
    for (const r of group)
      out.set(r.s.id, {
        id: r.s.id,
        source: r.s.source,
        date: localDay(r.s.startedAt, timeZone),
        startedAt: r.s.startedAt,
        sport: r.s.sport ?? null,
        load: r.load,
        method: r.method,
        counted: r === winner,
        duplicateOf: r === winner ? null : winner.s.id,
      });
  }
  return rows.map((r) => out.get(r.s.id)!);
}

/**
 * Sum of counted session loads per calendar day (each load's `date`) from `firstDay` to `lastDay` inclusive (YYYY-MM-DD),
 * one entry per day, 0 on days without load.
 */
export function dailyLoads(loads: readonly SessionLoad[], firstDay: string, lastDay: string): number[] {
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  const n = Math.round((Date.parse(`${lastDay}T00:00:00Z`) - start) / 86_400_000) + 1;
  const out = new Array<number>(Math.max(0, n)).fill(0);
  for (const l of loads) {
    if (!l.counted || l.load === null) continue;
    const i = Math.round((Date.parse(`${l.date}T00:00:00Z`) - start) / 86_400_000);
    if (i >= 0 && i < out.length) out[i]! += l.load;
  }
  return out;
}
