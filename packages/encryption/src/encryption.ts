import { inspect } from 'node:util';
import {
  assertName,
  type NewEvent,
  type RecordedEvent,
  uuidv7,
  ValidationError,
  type WrappedDataKey,
} from '@strata/core';
import { ALGORITHM, open, type Sealed, seal } from './aes-gcm.js';
import { type DataKey, newDataKey, unwrapDataKey } from './data-key.js';
import { DataKeyCache } from './data-key-cache.js';
import { type CheckedOptions, checkOptions, type EncryptionOptions } from './encryption-options.js';
import { looksLikeEnvelope, readEnvelope, subjectDigest, toEnvelope } from './field-envelope.js';
import { valueAt, withValueAt } from './field-paths.js';
import { IntegrityError, type IntegrityTarget } from './integrity-error.js';
import { type RewrapOptions, type RewrapProgress, rewrapAll } from './rewrap.js';

/** Binds a field's ciphertext to its key, subject, event (id, stream, type) and path. */
function fieldAad(
  key: { keyId: string; version: number },
  subjectId: string,
  event: { id: string; streamId: string; type: string },
  path: string,
): Buffer {
  return Buffer.from(
    JSON.stringify([
      'strata.field',
      1,
      ALGORITHM,
      key.keyId,
      key.version,
      subjectId,
      event.id,
      event.streamId,
      event.type,
      path,
    ]),
  );
}

/** An envelope found in a stored event, with where it is. */
interface FoundEnvelope {
  keys: readonly string[];
  path: string;
  value: Record<string, unknown>;
}

/**
 * Field-level encryption with per-subject data keys: what `withEncryption` and
 * `withSnapshotEncryption` encrypt with, and where a subject is forgotten and keys rotated.
 * Holds the master keys and the cache of unwrapped data keys in private fields: logging it,
 * `JSON.stringify` or `util.inspect` shows no key material.
 */
export class Encryption {
  readonly #options: CheckedOptions;
  readonly #cache: DataKeyCache;
  /** Counts forgets: a key load that a forget overtook is used once but never cached. */
  #forgets = 0;

  constructor(options: EncryptionOptions) {
    this.#options = checkOptions(options);
    this.#cache = new DataKeyCache(this.#options.cache);
  }

  /**
   * Crypto-shredding: destroys every data key of `subjectId` and drops them from this process's
   * cache at once. Its encrypted fields read as the redaction marker from then on, here; another
   * process that has the key cached can read them for up to `cache.ttlMs` longer. Returns how many
   * key versions were destroyed.
   */
  async forget(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    this.#cache.drop(subjectId);
    this.#forgets++;
    const destroyed = await this.#options.keyStore.destroyKeys(subjectId);
    this.#cache.drop(subjectId);
    this.#forgets++;
    return destroyed;
  }

  /**
   * Starts a new data-key version for `subjectId`, wrapped by the current master key: new writes
   * use it, and fields encrypted under the older versions stay readable. Returns the new version.
   */
  async rotateDataKey(subjectId: string): Promise<number> {
    assertName(subjectId, 'subjectId');
    const latest = await this.#options.keyStore.latestKey(subjectId);
    const created = await this.#create(subjectId, (latest?.version ?? 0) + 1);
    return created.version;
  }

  /**
   * Wraps every data key not wrapped by the current master key again under it, a page at a time.
   * Resumable: pass the `after` of the last progress report (or nothing: keys already under the
   * current master key are skipped). Keys destroyed meanwhile are left destroyed.
   */
  rewrapKeys(options?: RewrapOptions): Promise<RewrapProgress> {
    return rewrapAll(this.#options, options);
  }

  /** The event with its configured fields encrypted, or itself when it has none; checks its subject. */
  async sealEvent(
    streamId: string,
    event: NewEvent,
    path: string,
  ): Promise<{ event: NewEvent; key?: DataKey }> {
    const fields = this.#options.fieldsOf(event.type);
    if (fields === undefined) return { event };
    const present = fields.filter((field) => valueAt(event.data, field.keys) !== undefined);
    if (present.length === 0) return { event };
    for (const field of present) {
      if (looksLikeEnvelope(valueAt(event.data, field.keys))) {
        throw new ValidationError(
          `${path}.data.${field.path}`,
          'holds an encrypted envelope already; append plaintext',
        );
      }
    }
    const subjectId = this.#subjectOf({ ...event, streamId }, path);
    const key = await this.#writeKey(subjectId);
    // The id the store would give it, given here so that each ciphertext is bound to its event.
    const id = event.id ?? uuidv7();
    let data = event.data;
    for (const field of present) {
      const plaintext = Buffer.from(JSON.stringify(valueAt(data, field.keys)), 'utf8');
      const sealed = seal(
        key.bytes,
        plaintext,
        fieldAad(key, subjectId, { id, streamId, type: event.type }, field.path),
      );
      data = withValueAt(data, field.keys, toEnvelope(key.keyId, key.version, key.subjectDigest, sealed));
    }
    return { event: { ...event, id, data }, key };
  }

  /** The stored event with its encrypted fields opened, or redacted when its subject is forgotten. */
  async openEvent(event: RecordedEvent): Promise<RecordedEvent> {
    const found = this.#envelopesOf(event);
    if (found.length === 0) return event;
    const subjectId = this.#options.subjectOf(event);
    const keys = new Map<number, DataKey | null>();
    for (const { path, value } of found) {
      const kv = value.kv;
      if (!Number.isSafeInteger(kv) || keys.has(kv as number)) continue;
      keys.set(kv as number, await this.#readKey(subjectId, kv as number, this.#target(event, path)));
    }
    return this.openEventWith(event, subjectId, keys, found);
  }

  /** `openEvent` with the keys in hand (those an append just used): synchronous. */
  openEventWith(
    event: RecordedEvent,
    subjectId: string,
    keys: ReadonlyMap<number, DataKey | null>,
    found = this.#envelopesOf(event),
  ): RecordedEvent {
    let data = event.data;
    for (const { keys: fieldKeys, path, value } of found) {
      const target = this.#target(event, path);
      const envelope = readEnvelope(value);
      if (typeof envelope === 'string') throw new IntegrityError(target, envelope);
      const key = keys.get(envelope.keyVersion) ?? null;
      const plain =
        key === null || this.#forgottenKey(key, envelope, subjectId, target)
          ? JSON.parse(this.#options.redactedJson)
          : this.#open(key, envelope.sealed, subjectId, event, path, target);
      data = withValueAt(data, fieldKeys, plain);
    }
    return { ...event, data };
  }

  /** Encrypts a whole JSON value (a snapshot's state) under `subjectId`'s current key. */
  async sealValue(
    subjectId: string,
    value: unknown,
    aad: readonly unknown[],
  ): Promise<Record<string, unknown>> {
    const key = await this.#writeKey(subjectId);
    const sealed = seal(
      key.bytes,
      Buffer.from(JSON.stringify(value), 'utf8'),
      Buffer.from(JSON.stringify([key.keyId, key.version, ...aad])),
    );
    return toEnvelope(key.keyId, key.version, key.subjectDigest, sealed) as unknown as Record<
      string,
      unknown
    >;
  }

  /** The value `sealValue` encrypted; `undefined` when the subject is forgotten. */
  async openValue(
    subjectId: string,
    stored: unknown,
    aad: readonly unknown[],
    target: IntegrityTarget,
  ): Promise<{ value: unknown } | undefined> {
    if (!looksLikeEnvelope(stored)) throw new IntegrityError(target, 'the state is not encrypted');
    const envelope = readEnvelope(stored);
    if (typeof envelope === 'string') throw new IntegrityError(target, envelope);
    const key = await this.#readKey(subjectId, envelope.keyVersion, target);
    if (key === null || this.#forgottenKey(key, envelope, subjectId, target)) return undefined;
    try {
      const aadBytes = Buffer.from(JSON.stringify([key.keyId, key.version, ...aad]));
      return { value: JSON.parse(open(key.bytes, envelope.sealed, aadBytes).toString('utf8')) };
    } catch (error) {
      throw new IntegrityError(target, 'the ciphertext does not authenticate', { cause: error });
    }
  }

  /** True when `eventType` has fields to encrypt. */
  encrypts(eventType: string): boolean {
    return this.#options.fieldsOf(eventType) !== undefined;
  }

  toString(): string {
    return `Encryption(current master key "${this.#options.current.id}")`;
  }

  toJSON(): { currentMasterKeyId: string } {
    return { currentMasterKeyId: this.#options.current.id };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  #subjectOf(event: NewEvent & { streamId: string }, path: string): string {
    const subjectId = this.#options.subjectOf(event);
    try {
      assertName(subjectId, 'subject');
    } catch (error) {
      throw new ValidationError(
        path,
        `subjectOf gave no usable subject id for "${event.type}": ${(error as Error).message}`,
      );
    }
    return subjectId;
  }

  #envelopesOf(event: RecordedEvent): FoundEnvelope[] {
    const fields = this.#options.fieldsOf(event.type);
    if (fields === undefined) return [];
    const found: FoundEnvelope[] = [];
    for (const field of fields) {
      const value = valueAt(event.data, field.keys);
      // Plaintext from before the field was configured reads as it was stored.
      if (looksLikeEnvelope(value)) found.push({ keys: field.keys, path: field.path, value });
    }
    return found;
  }

  #open(
    key: DataKey,
    sealed: Sealed,
    subjectId: string,
    event: RecordedEvent,
    path: string,
    target: IntegrityTarget,
  ): unknown {
    let plaintext: Buffer;
    try {
      plaintext = open(key.bytes, sealed, fieldAad(key, subjectId, event, path));
    } catch (error) {
      throw new IntegrityError(
        target,
        'the ciphertext does not authenticate: changed in storage, moved from another field or event, or a wrong key',
        { cause: error },
      );
    }
    return JSON.parse(plaintext.toString('utf8'));
  }

  /**
   * True when the subject's key of the envelope's version is a newer one, made after the key that
   * sealed it was destroyed; an envelope of another subject is an integrity failure instead.
   */
  #forgottenKey(
    key: DataKey,
    envelope: { keyId: string; subject: string },
    subjectId: string,
    target: IntegrityTarget,
  ): boolean {
    if (key.keyId === envelope.keyId) return false;
    if (envelope.subject === subjectDigest(subjectId)) return true;
    throw new IntegrityError(
      target,
      'the ciphertext was sealed for another subject: moved from another event',
    );
  }

  #target(event: RecordedEvent, field: string): IntegrityTarget {
    return {
      streamId: event.streamId,
      version: event.version,
      eventId: event.id,
      eventType: event.type,
      field,
    };
  }

  async #writeKey(subjectId: string): Promise<DataKey> {
    const cached = this.#cache.latest(subjectId);
    if (cached !== undefined) return cached;
    const forgets = this.#forgets;
    const latest = await this.#options.keyStore.latestKey(subjectId);
    if (latest === undefined) return this.#create(subjectId, 1);
    const key = unwrapDataKey(latest, this.#options.masterKeys, { subjectId });
    if (forgets === this.#forgets) this.#cache.setLatest(key);
    return key;
  }

  /** Creates the subject's key of `version`, or takes the one a racing writer stored first. */
  async #create(subjectId: string, version: number): Promise<DataKey> {
    const forgets = this.#forgets;
    const made = newDataKey(subjectId, version, this.#options.current);
    const stored: WrappedDataKey = await this.#options.keyStore.createKey(made.wrapped);
    const key =
      stored.keyId === made.key.keyId
        ? made.key
        : unwrapDataKey(stored, this.#options.masterKeys, { subjectId });
    if (forgets === this.#forgets) this.#cache.setLatest(key);
    return key;
  }

  async #readKey(subjectId: string, version: number, target: IntegrityTarget): Promise<DataKey | null> {
    const cached = this.#cache.version(subjectId, version);
    if (cached !== undefined) return cached;
    const forgets = this.#forgets;
    const wrapped = await this.#options.keyStore.getKey(subjectId, version);
    const key = wrapped === undefined ? null : unwrapDataKey(wrapped, this.#options.masterKeys, target);
    if (forgets === this.#forgets) this.#cache.setVersion(subjectId, version, key);
    return key;
  }
}

/** The encryption `withEncryption` and `withSnapshotEncryption` share; checks `options` whole. */
export function createEncryption(options: EncryptionOptions): Encryption {
  return new Encryption(options);
}
