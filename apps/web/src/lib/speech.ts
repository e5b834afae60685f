import type { Alert } from '../api/types.ts';

/**
 * Spoken feedback: what to say and whether to say it. Pure, with the clock passed in; the
 * browser glue (speechSynthesis) is `speakLatest` at the bottom.
 */

/** The same athlete and rule is spoken at most once a minute, so a flapping alert stays quiet. */
export const ALERT_REPEAT_MS = 60_000;
/** A new HR zone must hold this long before it is spoken. */
export const ZONE_HOLD_MS = 10_000;

/** "Alex Runner, heart rate 196, above 190": who, the rule in words, value and threshold. */
export function alertUtterance(alert: Pick<Alert, 'rule' | 'value' | 'threshold'>, name: string): string {
  const v = alert.value == null ? null : Math.round(alert.value);
  const t = alert.threshold == null ? null : Math.round(alert.threshold);
  switch (alert.rule) {
    case 'hr_high':
      return `${name}, heart rate ${v ?? 'high'}${t === null ? '' : `, above ${t}`}`;
    case 'hr_low':
      return `${name}, heart rate ${v ?? 'low'}${t === null ? '' : `, below ${t}`}`;
    case 'dropout':
      return `${name}, signal lost${v === null ? '' : ` for ${v} seconds`}`;
    case 'hr_jump':
      return `${name}, heart rate jumped${v === null ? '' : ` ${v} beats`}${t === null ? '' : `, limit ${t}`}`;
    default:
      return `${name}, alert ${alert.rule}`;
  }
}

/** Decides which new alerts are spoken: once per athlete and rule per `ALERT_REPEAT_MS`. */
export class AlertAnnouncer {
  private readonly lastSpoken = new Map<string, number>();

  /** The text to speak for a new alert, or null when it is a repeat, cleared or acknowledged. */
  consider(alert: Alert, name: string, now: number): string | null {
    if (alert.clearedAt || alert.acknowledgedAt) return null;
    const key = `${alert.athleteId}:${alert.rule}`;
    const last = this.lastSpoken.get(key);
    if (last !== undefined && now - last < ALERT_REPEAT_MS) return null;
    this.lastSpoken.set(key, now);
    return alertUtterance(alert, name);
  }
}

/** Speaks "Zone 3" once a new zone has held for `ZONE_HOLD_MS` (the first one too). */
export class ZoneAnnouncer {
  private spoken: number | null = null;
  private candidate: { zone: number; since: number } | null = null;

  /** `zone` 1..5, or 0/null when below zone 1 or unknown (never spoken). */
  update(zone: number | null, now: number): string | null {
    const z = zone && zone >= 1 ? zone : null;
    if (z === null || z === this.spoken) {
      this.candidate = null;
      return null;
    }
    if (!this.candidate || this.candidate.zone !== z) this.candidate = { zone: z, since: now };
    if (now - this.candidate.since < ZONE_HOLD_MS) return null;
    this.spoken = z;
    this.candidate = null;
    return `Zone ${z}`;
  }

  reset(): void {
    this.spoken = null;
    this.candidate = null;
  }
}

/** "1 kilometre, 5 minutes 12": the split's number and its time in minutes and seconds. */
export function splitUtterance(km: number, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const min = Math.floor(s / 60);
  const sec = s % 60;
  const time =
    min === 0 ? `${sec} seconds` : `${min} ${min === 1 ? 'minute' : 'minutes'}${sec ? ` ${sec}` : ''}`;
  return `${km} ${km === 1 ? 'kilometre' : 'kilometres'}, ${time}`;
}

/** Speaks each whole kilometre once, with the time since the previous one. */
export class SplitAnnouncer {
  private km = 0;
  private lastAt: number | null = null;

  /** `distance` in metres since the start (null: unknown), `now` in ms; `startedAt` the session start. */
  update(distance: number | null | undefined, now: number, startedAt: number): string | null {
    this.lastAt ??= startedAt;
    if (distance == null || !Number.isFinite(distance)) return null;
    const whole = Math.floor(distance / 1000);
    if (whole <= this.km) return null;
    // Several kilometres at once (a gap in the data): speak the latest, timed from the last split.
    const text = splitUtterance(whole, (now - this.lastAt) / 1000 / (whole - this.km));
    this.km = whole;
    this.lastAt = now;
    return text;
  }

  reset(): void {
    this.km = 0;
    this.lastAt = null;
  }
}

/** The part of window.speechSynthesis used here. */
export interface SpeechOutput {
  readonly speaking: boolean;
  readonly pending: boolean;
  cancel(): void;
  speak(utterance: SpeechSynthesisUtterance): void;
}

/** The browser's speech synthesis, or null where there is none. */
export function browserSpeech(): SpeechOutput | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window
    ? window.speechSynthesis
    : null;
}

/**
 * Speaks `text` now: whatever is still being said or waiting is dropped, so at most one
 * utterance is ever queued and what the listener hears is the latest news.
 */
export function speakLatest(
  out: SpeechOutput,
  text: string,
  make = (t: string) => new SpeechSynthesisUtterance(t),
) {
  if (out.speaking || out.pending) out.cancel();
  out.speak(make(text));
}

const STORAGE_PREFIX = 'ap-speak-';

/** A switch remembered in localStorage (off unless stored on). */
export function storedSwitch(name: string): boolean {
  try {
    return localStorage.getItem(STORAGE_PREFIX + name) === 'on';
  } catch {
    return false;
  }
}

export function storeSwitch(name: string, on: boolean): void {
  try {
    localStorage.setItem(STORAGE_PREFIX + name, on ? 'on' : 'off');
  } catch {
    // private mode: the choice lasts for this page only
  }
}
