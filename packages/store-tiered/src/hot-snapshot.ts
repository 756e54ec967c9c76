/**
 * A stream's newest snapshot as the hot tier keeps it: one value, so it is whole or absent.
 * `state` is the state's JSON, exactly as the warm store was given it or answered it.
 */
export interface HotSnapshot {
  version: number;
  stateVersion: number;
  /** Epoch ms. */
  createdAt: number;
  stateJson: string;
}

/**
 * What the hot tier knows of a stream's snapshots.
 * - `copy`: the newest snapshot overall; `null` when the stream is known to have none; `undefined`
 *   when nothing is known.
 * - `writing`: a writer is between its two steps (see `HotTier.beginSnapshotWrite`): the copy, if
 *   any, must not be served, nor a warm answer promoted.
 * - `seen`: the state this read saw, for `promoteSnapshot`'s compare-and-set.
 */
export interface HotSnapshotRead {
  copy: HotSnapshot | null | undefined;
  writing: boolean;
  seen: string;
}

/** What a snapshot writer did in the warm store, for `HotTier.endSnapshotWrite`. */
export type SnapshotChange =
  | { kind: 'save'; snapshot: HotSnapshot }
  | { kind: 'delete'; beforeVersion: number | undefined }
  /** The warm write failed: it may or may not have committed. */
  | { kind: 'unknown' };

/** `stored`: the copy is now the given snapshot (or none); `kept`: the copy stays; `dropped`: no copy now. */
export type SnapshotWriteOutcome = 'stored' | 'kept' | 'dropped';

/** `stored`, or `refused` (a writer came or is pending, or the read is too old), or `kept` (a copy as new is there). */
export type SnapshotPromoteOutcome = 'stored' | 'refused' | 'kept';

/** `<version>:<stateVersion>:<createdAt>:<state JSON>`; `0` for "no snapshot". */
export function encodeHotSnapshot(snapshot: HotSnapshot | null): string {
  if (snapshot === null) return '0';
  return `${snapshot.version}:${snapshot.stateVersion}:${snapshot.createdAt}:${snapshot.stateJson}`;
}

/** The value back; `undefined` when it is not what `encodeHotSnapshot` writes. */
export function decodeHotSnapshot(value: string): HotSnapshot | null | undefined {
  if (value === '0') return null;
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  const third = value.indexOf(':', second + 1);
  if (first < 0 || second < 0 || third < 0) return undefined;
  const version = Number(value.slice(0, first));
  const stateVersion = Number(value.slice(first + 1, second));
  const createdAt = Number(value.slice(second + 1, third));
  const stateJson = value.slice(third + 1);
  if (![version, stateVersion, createdAt].every(Number.isSafeInteger) || version < 1 || stateJson === '') {
    return undefined;
  }
  return { version, stateVersion, createdAt, stateJson };
}
