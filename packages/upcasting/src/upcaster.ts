import type { RecordedEvent } from '@strata/core';

/**
 * One step of an event type's history: events stored as `type` at schema version `fromVersion`
 * become `toType` (a rename; defaults to `type`) at `toVersion`. A step that keeps the type moves
 * exactly one version (`toVersion` defaults to `fromVersion + 1`); a rename names the version the
 * new type starts at. A split names its parts in `into` and gives their payloads with `split`
 * (and then has no `toType`, `toVersion` or `upcast`).
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
  /**
   * A split: the event becomes these parts, in this order, each then taken on by the steps of its
   * own type to its current version. Named here, not by `split`, so the chain is checked whole
   * when it is defined.
   */
  into?: readonly SplitPart[];
  /** The payload of each part of `into`, in its order (one per part), from the stored JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: the stored shape of an old version is the caller's to name
  split?: (data: any, event: RecordedEvent) => readonly unknown[];
}

/** One event a split makes: its type and the schema version its payload is at. */
export interface SplitPart {
  type: string;
  version: number;
}
