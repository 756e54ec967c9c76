import { assertName, type KeyStore, ValidationError } from '@strata/core';
import type { DataKeyCacheOptions } from './data-key-cache.js';
import { type FieldPath, parseFieldPath } from './field-paths.js';
import { MasterKey } from './master-key.js';

/** What `subjectOf` sees: the event as appended (with its stream), or as stored when it is read. */
export interface SubjectSource {
  streamId: string;
  type: string;
  data: unknown;
  metadata?: unknown;
}

export interface EncryptionOptions {
  /** Where the wrapped data keys live (`MemoryKeyStore`, or an adapter's key store). */
  keyStore: KeyStore;
  /** Every master key that may have wrapped a stored data key, made with `masterKey(id, bytes)`. */
  masterKeys: readonly MasterKey[];
  /** The master key that wraps new data keys, and every key a re-wrap touches. */
  currentMasterKeyId: string;
  /**
   * The fields to encrypt per stored event type, as dotted paths of object keys (`card.number`);
   * an array is encrypted whole. Or a function from the type to its paths (`undefined` for none).
   */
  fields:
    | Readonly<Record<string, readonly string[]>>
    | ((eventType: string) => readonly string[] | undefined);
  /**
   * The subject whose key encrypts an event's fields (a user id, say). It must read fields that are
   * not encrypted: on read it is given the stored event, whose encrypted fields are sealed away
   * (in the envelope under `"$strata.encrypted"`, or, written by 0.1.0, envelopes in their place).
   */
  subjectOf: (event: SubjectSource) => string;
  /** What a field reads as once its subject is forgotten; a JSON value, default `"[redacted]"`. */
  redacted?: unknown;
  /** How long, and for how many subjects, unwrapped data keys stay in memory. */
  cache?: DataKeyCacheOptions;
}

/** How many event types' parsed paths a `fields` function's answers are kept for. */
const MAX_PARSED_TYPES = 1_000;

export interface CheckedOptions {
  keyStore: KeyStore;
  masterKeys: ReadonlyMap<string, MasterKey>;
  current: MasterKey;
  fieldsOf: (eventType: string) => readonly FieldPath[] | undefined;
  subjectOf: (event: SubjectSource) => string;
  redactedJson: string;
  cache: Required<DataKeyCacheOptions>;
}

/** The options, checked whole: a mistake is a `ValidationError` here, never at the first append. */
export function checkOptions(options: EncryptionOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'must be an object');
  const { keyStore, masterKeys, currentMasterKeyId, fields, subjectOf } = options;
  if (typeof keyStore !== 'object' || keyStore === null || typeof keyStore.createKey !== 'function') {
    throw new ValidationError('options.keyStore', 'must be a KeyStore');
  }
  if (!Array.isArray(masterKeys) || masterKeys.length === 0) {
    throw new ValidationError('options.masterKeys', 'must hold at least one key made by masterKey()');
  }
  const byId = new Map<string, MasterKey>();
  masterKeys.forEach((key, i) => {
    if (!(key instanceof MasterKey))
      throw new ValidationError(`options.masterKeys[${i}]`, 'must be made by masterKey()');
    if (byId.has(key.id))
      throw new ValidationError(`options.masterKeys[${i}]`, `id "${key.id}" appears twice`);
    byId.set(key.id, key);
  });
  assertName(currentMasterKeyId, 'options.currentMasterKeyId');
  const current = byId.get(currentMasterKeyId);
  if (current === undefined) {
    throw new ValidationError(
      'options.currentMasterKeyId',
      `"${currentMasterKeyId}" is not among options.masterKeys`,
    );
  }
  if (typeof subjectOf !== 'function') throw new ValidationError('options.subjectOf', 'must be a function');
  const redacted = options.redacted === undefined ? '[redacted]' : options.redacted;
  const redactedJson = JSON.stringify(redacted);
  if (redactedJson === undefined) throw new ValidationError('options.redacted', 'must be a JSON value');
  return {
    keyStore,
    masterKeys: byId,
    current,
    fieldsOf: fieldLookup(fields),
    subjectOf,
    redactedJson,
    cache: checkCache(options.cache),
  };
}

function fieldLookup(fields: EncryptionOptions['fields']): CheckedOptions['fieldsOf'] {
  if (typeof fields === 'function') {
    const parsed = new Map<string, readonly FieldPath[] | undefined>();
    return (type) => {
      if (!parsed.has(type)) {
        // Bounded: a program that makes up type names must not grow this map for ever.
        if (parsed.size >= MAX_PARSED_TYPES) parsed.clear();
        const paths = fields(type);
        parsed.set(
          type,
          paths?.map((path, i) => parseFieldPath(path, `options.fields("${type}")[${i}]`)),
        );
      }
      return parsed.get(type);
    };
  }
  if (typeof fields !== 'object' || fields === null) {
    throw new ValidationError(
      'options.fields',
      'must be a record of event type to field paths, or a function',
    );
  }
  const byType = new Map<string, readonly FieldPath[]>();
  for (const [type, paths] of Object.entries(fields)) {
    assertName(type, 'options.fields');
    if (!Array.isArray(paths))
      throw new ValidationError(`options.fields["${type}"]`, 'must be an array of paths');
    byType.set(
      type,
      paths.map((path, i) => parseFieldPath(path, `options.fields["${type}"][${i}]`)),
    );
  }
  return (type) => byType.get(type);
}

function checkCache(cache: DataKeyCacheOptions | undefined): Required<DataKeyCacheOptions> {
  const ttlMs = cache?.ttlMs ?? 60_000;
  const maxSubjects = cache?.maxSubjects ?? 10_000;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 0) {
    throw new ValidationError('options.cache.ttlMs', 'must be an integer number of milliseconds, 0 or more');
  }
  if (!Number.isSafeInteger(maxSubjects) || maxSubjects < 1) {
    throw new ValidationError('options.cache.maxSubjects', 'must be a positive integer');
  }
  return { ttlMs, maxSubjects };
}
