import { ingestableAthletes, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';

// Revocations clear this cache at once (access.changed); the TTL only bounds staleness otherwise.
const ALLOWED_TTL_MS = 300_000;
const MAX_CACHED = 100_000;

/**
 * Which athletes a credential may write live samples for (`ingestableAthletes`), cached per
 * credential and athlete so the steady state (a gateway sending the same athletes every
 * second) answers without a query or a promise.
 */
export class IngestPermits {
  readonly #deps: Deps;
  /** Verdicts per credential, then per athlete. */
  readonly #allowed = new Map<string, Map<string, { ok: boolean; at: number }>>();
  #allowedCount = 0;
  /** Checks under way per credential, then per athlete (a second message waits for the first). */
  readonly #checking = new Map<string, Map<string, Promise<boolean>>>();
  /** Bumped on every access change: a check that ran across a change is not cached. */
  #generation = 0;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** Access changed somewhere: forget every verdict and every check under way. */
  reset(): void {
    this.#generation++;
    this.#allowed.clear();
    this.#allowedCount = 0;
    this.#checking.clear();
  }

  async mayIngestFor(principal: Principal, athleteId: string): Promise<boolean> {
    const forbidden = this.forbiddenAthletes(principal, [athleteId]);
    return !(forbidden instanceof Promise ? await forbidden : forbidden).has(athleteId);
  }

  /**
   * The athletes of `athleteIds` the principal may not write for. Answers from the cache
   * without waiting when every athlete is known. Unknown ones are checked together in one
   * query (a gateway's 50 athletes starting at once); an athlete whose check is already under
   * way waits for it.
   */
  forbiddenAthletes(principal: Principal, athleteIds: Iterable<string>): Set<string> | Promise<Set<string>> {
    const now = Date.now();
    const credential = credentialKey(principal);
    const verdicts = this.#allowed.get(credential);
    const pending = this.#checking.get(credential);
    const forbidden = new Set<string>();
    const unknown: string[] = [];
    const waits: Array<Promise<void>> = [];
    for (const id of athleteIds) {
      const hit = verdicts?.get(id);
      if (hit && now - hit.at < ALLOWED_TTL_MS) {
        if (!hit.ok) forbidden.add(id);
        continue;
      }
      const inFlight = pending?.get(id);
      if (!inFlight) unknown.push(id);
      else {
        waits.push(
          inFlight.then((ok) => {
            if (!ok) forbidden.add(id);
          }),
        );
      }
    }
    if (unknown.length > 0) {
      waits.push(
        this.#check(principal, credential, unknown).then((allowed) => {
          for (const id of unknown) if (!allowed.has(id)) forbidden.add(id);
        }),
      );
    }
    if (waits.length === 0) return forbidden;
    return Promise.all(waits).then(() => forbidden);
  }

  /** One batched check; verdicts are cached unless access changed while it ran. */
  #check(principal: Principal, credential: string, athleteIds: string[]): Promise<Set<string>> {
    const generation = this.#generation;
    const at = Date.now();
    const check = ingestableAthletes({ deps: this.#deps, principal, athleteIds });
    const pending = this.#checking.get(credential) ?? new Map<string, Promise<boolean>>();
    this.#checking.set(credential, pending);
    const mine = new Map<string, Promise<boolean>>();
    for (const id of athleteIds) {
      const one = check.then((allowed) => allowed.has(id));
      one.catch(() => {}); // whoever waits on it sees the failure; nobody waiting is fine
      mine.set(id, one);
      pending.set(id, one);
    }
    const settle = () => {
      const current = this.#checking.get(credential);
      if (!current) return;
      for (const [id, one] of mine) if (current.get(id) === one) current.delete(id);
      if (current.size === 0) this.#checking.delete(credential);
    };
    return check.then(
      (allowed) => {
        settle();
        if (generation !== this.#generation) return allowed;
        if (this.#allowedCount > MAX_CACHED) {
          this.#allowed.clear();
          this.#allowedCount = 0;
        }
        const verdicts = this.#allowed.get(credential) ?? new Map<string, { ok: boolean; at: number }>();
        this.#allowed.set(credential, verdicts);
        for (const id of athleteIds) {
          if (!verdicts.has(id)) this.#allowedCount++;
          verdicts.set(id, { ok: allowed.has(id), at });
        }
        return allowed;
      },
      (err: unknown) => {
        settle();
        throw err;
      },
    );
  }
}

function credentialKey(principal: Principal): string {
  return principal.kind === 'user' ? `u:${principal.sessionId}` : `d:${principal.deviceId}`;
}
