import { createSecretKey, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import type { WrappedDataKey } from '@strata/core';
import { open, packSealed, seal, unpackSealed } from './aes-gcm.js';
import { subjectDigest } from './field-envelope.js';
import { IntegrityError, type IntegrityTarget } from './integrity-error.js';
import { MasterKey } from './master-key.js';

/** One version of a subject's data key, unwrapped: held only in memory, never logged. */
export interface DataKey {
  readonly subjectId: string;
  readonly version: number;
  readonly keyId: string;
  readonly bytes: Buffer;
  /** The bytes as node:crypto's key handle, made once per key rather than once per value. */
  readonly cipherKey: KeyObject;
  /** `subjectDigest(subjectId)`, computed once per key rather than once per field. */
  readonly subjectDigest: string;
}

/** A data key from its parts, with what every value it seals or opens would otherwise recompute. */
function dataKey(subjectId: string, version: number, keyId: string, bytes: Buffer): DataKey {
  return {
    subjectId,
    version,
    keyId,
    bytes,
    cipherKey: createSecretKey(bytes),
    subjectDigest: subjectDigest(subjectId),
  };
}

/** Binds a wrapped key to its subject, version, id and master key: a key row moved or edited fails. */
function wrapAad(key: Omit<WrappedDataKey, 'wrappedKey'>): Buffer {
  return Buffer.from(
    JSON.stringify(['strata.data-key', 1, key.subjectId, key.version, key.keyId, key.masterKeyId]),
  );
}

/** A fresh random data key for `subjectId` at `version`, and its wrapping under `master`. */
export function newDataKey(
  subjectId: string,
  version: number,
  master: MasterKey,
): { key: DataKey; wrapped: WrappedDataKey } {
  const key = dataKey(subjectId, version, randomUUID(), randomBytes(32));
  return { key, wrapped: wrapDataKey(key, master) };
}

export function wrapDataKey(key: DataKey, master: MasterKey): WrappedDataKey {
  const header = { subjectId: key.subjectId, version: key.version, keyId: key.keyId, masterKeyId: master.id };
  const sealed = seal(MasterKey.bytesOf(master), key.bytes, wrapAad(header));
  return { ...header, wrappedKey: packSealed(sealed) };
}

/** The data key inside `wrapped`; an `IntegrityError` about `target` when it does not unwrap. */
export function unwrapDataKey(
  wrapped: WrappedDataKey,
  masterKeys: ReadonlyMap<string, MasterKey>,
  target: IntegrityTarget,
): DataKey {
  const master = masterKeys.get(wrapped.masterKeyId);
  const about = { ...target, subjectId: wrapped.subjectId };
  if (master === undefined) {
    throw new IntegrityError(
      about,
      `data key version ${wrapped.version} is wrapped by master key "${wrapped.masterKeyId}", which is not configured`,
    );
  }
  try {
    const bytes = open(MasterKey.bytesOf(master), unpackSealed(wrapped.wrappedKey), wrapAad(wrapped));
    return dataKey(wrapped.subjectId, wrapped.version, wrapped.keyId, bytes);
  } catch (error) {
    throw new IntegrityError(
      about,
      `data key version ${wrapped.version} does not unwrap with master key "${master.id}": a wrong master key, or a changed key row`,
      { cause: error },
    );
  }
}
