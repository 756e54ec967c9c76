import {
  assertName,
  type ListSnapshotStreamsOptions,
  type LoadSnapshotOptions,
  prepareSnapshot,
  type Snapshot,
  type SnapshotStore,
} from '@strata/core';
import type { Encryption } from './encryption.js';

export interface SnapshotEncryptionOptions {
  /**
   * The subject whose key encrypts the snapshot of `streamId` (the same subject as its events'),
   * or `undefined` to store that stream's snapshots as they are.
   */
  subjectOf: (streamId: string) => string | undefined;
}

/**
 * `store` with each snapshot's whole state encrypted under its subject's data key. Once the
 * subject is forgotten its snapshots no longer open and load as absent, so the repository replays
 * the (redacted) events instead: no plaintext copy of a forgotten subject survives in snapshots.
 */
export function withSnapshotEncryption(
  store: SnapshotStore,
  encryption: Encryption,
  options: SnapshotEncryptionOptions,
): SnapshotStore {
  return new EncryptingSnapshotStore(store, encryption, options.subjectOf);
}

class EncryptingSnapshotStore implements SnapshotStore {
  readonly #inner: SnapshotStore;
  readonly #encryption: Encryption;
  readonly #subjectOf: (streamId: string) => string | undefined;

  constructor(
    inner: SnapshotStore,
    encryption: Encryption,
    subjectOf: (streamId: string) => string | undefined,
  ) {
    this.#inner = inner;
    this.#encryption = encryption;
    this.#subjectOf = subjectOf;
  }

  async saveSnapshot(snapshot: Omit<Snapshot, 'createdAt'> & { createdAt?: Date }): Promise<void> {
    const checked = prepareSnapshot(snapshot);
    const subjectId = this.#subject(checked.streamId);
    if (subjectId === undefined) return this.#inner.saveSnapshot(snapshot);
    const state = await this.#encryption.sealValue(subjectId, checked.state, this.#aad(checked, subjectId));
    await this.#inner.saveSnapshot({ ...snapshot, state });
  }

  async loadSnapshot(streamId: string, options?: LoadSnapshotOptions): Promise<Snapshot | undefined> {
    const snapshot = await this.#inner.loadSnapshot(streamId, options);
    if (snapshot === undefined) return undefined;
    const subjectId = this.#subject(streamId);
    if (subjectId === undefined) return snapshot;
    const opened = await this.#encryption.openValue(
      subjectId,
      snapshot.state,
      this.#aad(snapshot, subjectId),
      {
        streamId,
        version: snapshot.version,
        subjectId,
      },
    );
    return opened === undefined ? undefined : { ...snapshot, state: opened.value };
  }

  listSnapshotStreams(options?: ListSnapshotStreamsOptions): Promise<string[]> {
    return this.#inner.listSnapshotStreams(options);
  }

  deleteSnapshots(streamId: string, options?: { beforeVersion?: number }): Promise<number> {
    return this.#inner.deleteSnapshots(streamId, options);
  }

  toString(): string {
    return 'EncryptingSnapshotStore';
  }

  #subject(streamId: string): string | undefined {
    const subjectId = this.#subjectOf(streamId);
    if (subjectId !== undefined) assertName(subjectId, 'subjectOf(streamId)');
    return subjectId;
  }

  /** Binds the state to its stream, version, shape and subject: a state copied to another snapshot fails. */
  #aad(snapshot: { streamId: string; version: number; stateVersion: number }, subjectId: string): unknown[] {
    return ['strata.snapshot', 1, subjectId, snapshot.streamId, snapshot.version, snapshot.stateVersion];
  }
}
