import { type GarminDay, garminDates, garminDay } from './data/garmin-data.ts';
import { type SandboxUser, sandboxUser } from './data/users.ts';
import { generateWhoopData, type WhoopDataset } from './data/whoop-data.ts';
import type { ResolvedSandboxOptions } from './options.ts';
import { TokenStore } from './state/tokens.ts';
import { TrafficControl } from './state/traffic.ts';

/** The sandbox's state, shared by its route plugins and its control API. */
export class SandboxContext {
  readonly options: ResolvedSandboxOptions;
  readonly tokens: TokenStore;
  readonly traffic: TrafficControl;
  /** Activity file ids already downloaded (a second download is 410). */
  readonly downloadedFiles = new Set<string>();
  /** `login|type|start|end` of accepted backfills (a repeat is 409). */
  readonly backfills = new Set<string>();
  /** Pull tokens handed out in ping callback URLs → login. */
  readonly pullTokens = new Map<string, string>();
  /** Body measurement values a test changed, per login (over the seeded ones). */
  readonly whoopBodyChanges = new Map<string, { max_heart_rate?: number; weight_kilogram?: number }>();
  readonly #deliveries = new Set<Promise<unknown>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #whoop = new Map<string, WhoopDataset>();
  readonly #garminDays = new Map<string, GarminDay>();
  readonly #usersByGarminId = new Map<string, SandboxUser>();
  #listenUrl: string | undefined;

  constructor(options: ResolvedSandboxOptions) {
    this.options = options;
    this.tokens = new TokenStore(options.now);
    this.traffic = new TrafficControl(
      options.now,
      options.whoopRateLimits === false ? {} : { whoop: options.whoopRateLimits },
    );
    for (const [provider, faults] of Object.entries(options.faults)) {
      this.traffic.setFaults(provider as 'whoop' | 'garmin', faults);
    }
  }

  now(): number {
    return this.options.now();
  }

  user(login: string): SandboxUser {
    const user = sandboxUser(login);
    this.#usersByGarminId.set(user.garminUserId, user);
    return user;
  }

  userByGarminId(garminUserId: string): SandboxUser | undefined {
    return this.#usersByGarminId.get(garminUserId);
  }

  /** The user's WHOOP data up to now (cached per login and current day). */
  whoopData(login: string): WhoopDataset {
    const now = this.now();
    const key = `${login}|${Math.floor(now / 60_000)}`;
    let data = this.#whoop.get(key);
    if (data === undefined) {
      data = generateWhoopData(this.user(login), this.options.days, now);
      this.#whoop.clear();
      this.#whoop.set(key, data);
    }
    return data;
  }

  /** Garmin days of the served range (optionally only dates in [from, to]), oldest first. */
  garminDays(login: string, from?: string, to?: string): GarminDay[] {
    const user = this.user(login);
    const nowS = this.now() / 1000;
    return garminDates(user, this.options.days, this.now())
      .filter((date) => (from === undefined || date >= from) && (to === undefined || date <= to))
      .map((date) => {
        const key = `${login}|${date}`;
        let day = this.#garminDays.get(key);
        if (day === undefined) {
          day = garminDay(user, date);
          if (this.#garminDays.size >= 4_000) this.#garminDays.clear();
          this.#garminDays.set(key, day);
        }
        // Today's activity may not have happened (or been uploaded) yet: Garmin would not have it.
        if (day.activityUploadS !== null && day.activityUploadS > nowS) {
          return { ...day, activity: null, activityUploadS: null };
        }
        return day;
      });
  }

  setListenUrl(url: string): void {
    this.#listenUrl = url;
  }

  /** The base URL the sandbox is reached at, for callback URLs it hands out. */
  publicUrl(): string {
    return this.options.publicUrl ?? this.#listenUrl ?? 'http://localhost';
  }

  /** Runs `task` after `delayMs`, tracked so tests can wait for all deliveries. */
  schedule(delayMs: number, task: () => Promise<unknown>): void {
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    this.#deliveries.add(done);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      task()
        .catch(() => undefined)
        .finally(() => {
          this.#deliveries.delete(done);
          resolveDone();
        });
    }, delayMs);
    this.#timers.add(timer);
  }

  async flushDeliveries(): Promise<void> {
    while (this.#deliveries.size > 0) await Promise.all([...this.#deliveries]);
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
