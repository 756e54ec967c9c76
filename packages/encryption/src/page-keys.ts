import type { DataKey } from './data-key.js';
import type { IntegrityTarget } from './integrity-error.js';

/**
 * The data keys one read has in hand, by subject and version (`null`: destroyed). A page of one
 * subject's events finds its key here by two comparisons, instead of a cache lookup (a clock read
 * and a reordering of the least-recently-used map) for every event.
 */
export class PageKeys {
  readonly #keys = new Map<string, DataKey | null>();
  #lastSubjectId: string | undefined;
  #lastVersion = 0;
  #lastKey: DataKey | null = null;

  /** The key; `undefined` when this read has not looked it up yet. */
  get(subjectId: string, version: number): DataKey | null | undefined {
    if (subjectId === this.#lastSubjectId && version === this.#lastVersion) return this.#lastKey;
    const key = this.#keys.get(`${version}:${subjectId}`);
    if (key !== undefined) this.#remember(subjectId, version, key);
    return key;
  }

  set(subjectId: string, version: number, key: DataKey | null): void {
    this.#keys.set(`${version}:${subjectId}`, key);
    this.#remember(subjectId, version, key);
  }

  #remember(subjectId: string, version: number, key: DataKey | null): void {
    this.#lastSubjectId = subjectId;
    this.#lastVersion = version;
    this.#lastKey = key;
  }
}

/** The answer of an event that cannot open until this key is loaded. */
export class KeyNeeded {
  constructor(
    readonly subjectId: string,
    readonly version: number,
    readonly target: IntegrityTarget,
  ) {}
}
