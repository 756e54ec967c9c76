import type { RecordedEvent } from '@strata/core';

/**
 * One step of an event type's history: events stored as `type` at schema version `fromVersion`
 * become `toType` (a rename; defaults to `type`) at `toVersion`. A step that keeps the type moves
 * exactly one version (`toVersion` defaults to `fromVersion + 1`); a rename names the version the
 * new type starts at.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  toType?: string;
  toVersion?: number;
  /**
   * The payload at the next version, from the stored JSON (before `EventRegistry` decodes it, so a
   * date is still `{ "$date": … }`). Returns a new value; the identity when absent (a pure rename).
   * Old shapes have no type left in the program, so `data` is `any`: annotate it with the old shape.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the stored shape of an old version is the caller's to name
  upcast?: (data: any, event: RecordedEvent) => unknown;
}
