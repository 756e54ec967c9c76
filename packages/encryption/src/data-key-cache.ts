import type { DataKey } from './data-key.js';

export interface DataKeyCacheOptions {
  /**
   * How long an unwrapped key (or the knowledge that a key is gone) is kept, in milliseconds;
   * default 60,000. A subject forgotten by another process stays readable here for at most this long.
   */
  ttlMs?: number;
  /** How many subjects' keys are kept at most; the least recently used go first. Default 10,000. */
  maxSubjects?: number;
}

interface SubjectEntry {
  expiresAt: number;
  latest: DataKey | undefined;
  /** Each version looked up; `null` for one the key store does not have (destroyed). */
  versions: Map<number, DataKey | null>;
}

/** Unwrapped data keys per subject, for a bounded time and count, least recently used evicted first. */
export class DataKeyCache {
  readonly #ttlMs: number;
  readonly #maxSubjects: number;
  readonly #subjects = new Map<string, SubjectEntry>();

  constructor(options: Required<DataKeyCacheOptions>) {
    this.#ttlMs = options.ttlMs;
    this.#maxSubjects = options.maxSubjects;
  }

  latest(subjectId: string): DataKey | undefined {
    return this.#entry(subjectId, false)?.latest;
  }

  /** The key of that version; `null` when known to be gone, `undefined` when not cached. */
  version(subjectId: string, version: number): DataKey | null | undefined {
    return this.#entry(subjectId, false)?.versions.get(version);
  }

  setLatest(key: DataKey): void {
    const entry = this.#entry(key.subjectId, true)!;
    entry.latest = key;
    entry.versions.set(key.version, key);
  }

  setVersion(subjectId: string, version: number, key: DataKey | null): void {
    this.#entry(subjectId, true)!.versions.set(version, key);
  }

  drop(subjectId: string): void {
    this.#subjects.delete(subjectId);
  }

  get size(): number {
    return this.#subjects.size;
  }

  #entry(subjectId: string, create: boolean): SubjectEntry | undefined {
    const now = Date.now();
    let entry = this.#subjects.get(subjectId);
    if (entry !== undefined) {
      this.#subjects.delete(subjectId);
      if (entry.expiresAt <= now) entry = undefined;
    }
    if (entry === undefined) {
      if (!create) return undefined;
      entry = { expiresAt: now + this.#ttlMs, latest: undefined, versions: new Map() };
    }
    // Re-inserted on every use: the map's first key is the least recently used.
    this.#subjects.set(subjectId, entry);
    while (this.#subjects.size > this.#maxSubjects) {
      this.#subjects.delete(this.#subjects.keys().next().value!);
    }
    return entry;
  }
}
