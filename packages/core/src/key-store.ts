/**
 * One version of a subject's data key, as a key store keeps it: wrapped (encrypted) by a master key
 * the store never sees. `wrappedKey` is opaque to the store and round-trips exactly.
 */
export interface WrappedDataKey {
  /** Whose data the key protects (a user id, say). Forgetting the subject destroys every version. */
  subjectId: string;
  /** 1 for the subject's first key; a rotation adds the next one. Unique per subject. */
  version: number;
  /** A random id of this key, carried by every ciphertext it made, so a recreated key never matches. */
  keyId: string;
  /** The id of the master key that wrapped it. */
  masterKeyId: string;
  /** The data key, encrypted by the master key (base64 text). */
  wrappedKey: string;
}

/** Where to resume listing keys: the last key of the previous page. */
export interface ListKeysOptions {
  after?: { subjectId: string; version: number };
  /** At most this many keys; defaults to 1,000. */
  limit?: number;
}

/**
 * Wrapped data keys per subject, for field-level encryption and crypto-shredding.
 *
 * Rules every store keeps (the conformance kit's `describeKeyStore` checks them):
 * - `createKey` is create-if-absent in one atomic step: when two writers create the same subject
 *   and version at once, exactly one key is stored and both get it back.
 * - `destroyKeys` deletes every version of the subject for good; nothing brings a destroyed key
 *   back, and a re-wrap that races with it writes nothing (`rewrapKey` returns `false`).
 * - `listKeys` pages through every key in one stable (subjectId, version) order: versions as
 *   numbers, subject ids by UTF-16 code units or by code points (UTF-8 bytes, what a binary SQL
 *   collation or Redis lex order sorts by), as the store's own index does; the two differ only
 *   where characters above U+FFFF meet U+E000–U+FFFF. Resuming `after` the last key of a page
 *   visits each key exactly once, so a re-wrap can stop and resume.
 */
export interface KeyStore {
  /** Stores `key` unless the subject already has that version; returns the key that is stored. */
  createKey(key: WrappedDataKey): Promise<WrappedDataKey>;
  /** The subject's key of that version, or `undefined` (never created, or destroyed). */
  getKey(subjectId: string, version: number): Promise<WrappedDataKey | undefined>;
  /** The subject's key of the highest version, or `undefined`. */
  latestKey(subjectId: string): Promise<WrappedDataKey | undefined>;
  /** Deletes every version of the subject's key; returns how many. */
  destroyKeys(subjectId: string): Promise<number>;
  /** One page of keys in the store's stable (subjectId, version) order, after `options.after`. */
  listKeys(options?: ListKeysOptions): Promise<WrappedDataKey[]>;
  /**
   * Replaces the wrapping of an existing key (same subject, version and keyId) if it is still
   * wrapped by `expectedMasterKeyId`, in one atomic step. Returns `false`, writing nothing, when the
   * key is gone (destroyed meanwhile) or was wrapped again by someone else.
   */
  rewrapKey(key: WrappedDataKey, expectedMasterKeyId: string): Promise<boolean>;
}
