import { inspect } from 'node:util';
import {
  assertName,
  type NewEvent,
  type RecordedEvent,
  uuidv7,
  ValidationError,
  type WrappedDataKey,
} from '@strata/core';
import { open, type Sealed, seal } from './aes-gcm.js';
import { type DataKey, newDataKey, unwrapDataKey } from './data-key.js';
import { DataKeyCache } from './data-key-cache.js';
import { type CheckedOptions, checkOptions, type EncryptionOptions } from './encryption-options.js';
import { EventAadBytes } from './event-aad.js';
import { openEventFields, openFieldsInPlace, readEventEnvelope, sealEventFields } from './event-envelope.js';
import {
  ENVELOPE_MARK,
  envelopesOf,
  fieldAad,
  looksLikeEnvelope,
  readEnvelope,
  subjectDigest,
  toEnvelope,
} from './field-envelope.js';
import { type FieldPath, isPlainObject, setValueAt, valueAt, withoutValuesAt } from './field-paths.js';
import { IntegrityError, type IntegrityTarget } from './integrity-error.js';
import { KeyNeeded, PageKeys } from './page-keys.js';
import { type RewrapOptions, type RewrapProgress, rewrapAll } from './rewrap.js';

/** What `sealEvent` sealed: the fields' paths and their plaintext values as a JSON array. */
export interface SealedFields {
  paths: string[];
  valuesJson: string;
}

const FOREIGN_SUBJECT = 'the ciphertext was sealed for another subject: moved from another event';

/**
 * Whether `key` (the subject's key of the envelope's version) is the one that sealed it; or a
 * newer one, made after a forget destroyed that one (`forgotten`: it reads redacted); or, when the
 * envelope names another subject, neither (`foreign`: an integrity failure).
 */
function keyMatch(
  key: DataKey | null,
  envelope: { keyId: string; subject: string },
  subjectId: string,
): 'same' | 'forgotten' | 'foreign' {
  if (key === null) return 'forgotten';
  if (key.keyId === envelope.keyId) return 'same';
  return envelope.subject === subjectDigest(subjectId) ? 'forgotten' : 'foreign';
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

  /**
   * The event with its configured fields sealed into one envelope, or itself when it has none;
   * checks its subject. `sealed` says how to show the stored event as plaintext again without
   * decrypting it (the append's result).
   */
  async sealEvent(
    streamId: string,
    event: NewEvent,
    path: string,
  ): Promise<{ event: NewEvent; sealed?: SealedFields }> {
    const fields = this.#options.fieldsOf(event.type);
    if (fields === undefined) return { event };
    const data = event.data;
    if (isPlainObject(data) && Object.hasOwn(data, ENVELOPE_MARK)) {
      throw new ValidationError(
        `${path}.data.${ENVELOPE_MARK}`,
        'is where encrypted fields are stored; append plaintext without it',
      );
    }
    const present = fields.filter((field) => valueAt(data, field.keys) !== undefined);
    if (present.length === 0) return { event };
    for (const field of present) {
      if (looksLikeEnvelope(valueAt(data, field.keys))) {
        throw new ValidationError(
          `${path}.data.${field.path}`,
          'holds an encrypted envelope already; append plaintext',
        );
      }
    }
    const subjectId = this.#subjectOf({ ...event, streamId }, path);
    const key = await this.#writeKey(subjectId);
    // The id the store would give it, given here so that the ciphertext is bound to its event.
    const id = event.id ?? uuidv7();
    const paths = present.map((field) => field.path);
    const valuesJson = JSON.stringify(present.map((field) => valueAt(data, field.keys)));
    const envelope = sealEventFields(key, subjectId, { id, streamId, type: event.type }, paths, valuesJson);
    const stored = withoutValuesAt(
      data as Record<string, unknown>,
      present.map((field) => field.keys),
    );
    stored[ENVELOPE_MARK] = envelope;
    return { event: { ...event, id, data: stored }, sealed: { paths, valuesJson } };
  }

  /**
   * The stored event `sealEvent` made, with its fields as they were appended: no decryption. A new
   * event with new data: the inner store's `AppendResult.events` may be what it keeps (a tiered
   * store's hot copy is written from them), so they are not opened in place.
   */
  withPlainFields(event: RecordedEvent, sealed: SealedFields): RecordedEvent {
    const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
    return openFieldsInPlace(data, sealed.paths, JSON.parse(sealed.valuesJson)) ? { ...event, data } : event;
  }

  /**
   * Opens the encrypted fields of a read's events, or redacts them when their subject is forgotten,
   * in place, and returns `events`: what a read returns belongs to its caller (core's `EventStore`
   * contract), and copying each event's data cost as much again as opening it. An event that does
   * not open rejects the whole call, so no half-opened event reaches a caller. Synchronous per
   * event: each subject's key is looked up once per call (and loaded from the key store only when
   * the cache does not have it).
   */
  async openEvents(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const keys = new PageKeys();
    const aad = new EventAadBytes();
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      // An event needing a key is left as it was; it opens once the key is in hand.
      let needed = this.#openWith(event, keys, aad);
      while (needed !== undefined) {
        const { subjectId, version, target } = needed;
        keys.set(subjectId, version, await this.#readKey(subjectId, version, target));
        needed = this.#openWith(event, keys, aad);
      }
    }
    return events;
  }

  /** Encrypts a whole JSON value (a snapshot's state) under `subjectId`'s current key. */
  async sealValue(
    subjectId: string,
    value: unknown,
    aad: readonly unknown[],
  ): Promise<Record<string, unknown>> {
    const key = await this.#writeKey(subjectId);
    const sealed = seal(
      key.cipherKey,
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
    const match = keyMatch(key, envelope, subjectId);
    if (match === 'foreign') throw new IntegrityError(target, FOREIGN_SUBJECT);
    if (match === 'forgotten' || key === null) return undefined;
    try {
      const aadBytes = Buffer.from(JSON.stringify([key.keyId, key.version, ...aad]));
      return { value: JSON.parse(open(key.cipherKey, envelope.sealed, aadBytes).toString('utf8')) };
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

  /** Opens `event` in place with the keys in `keys`; or, changing nothing, says which key it still needs. */
  #openWith(event: RecordedEvent, keys: PageKeys, aad: EventAadBytes): KeyNeeded | undefined {
    const fields = this.#options.fieldsOf(event.type);
    if (fields === undefined) return undefined;
    const data = event.data;
    if (isPlainObject(data) && Object.hasOwn(data, ENVELOPE_MARK))
      return this.#openSealed(event, data, keys, aad);
    return this.#openFieldEnvelopes(event, fields, keys);
  }

  /** Envelope version 2: the event's fields sealed together. */
  #openSealed(
    event: RecordedEvent,
    data: Record<string, unknown>,
    keys: PageKeys,
    aad: EventAadBytes,
  ): KeyNeeded | undefined {
    const envelope = readEventEnvelope(data[ENVELOPE_MARK]);
    if (typeof envelope === 'string') throw new IntegrityError(this.#target(event, ENVELOPE_MARK), envelope);
    const subjectId = this.#options.subjectOf(event);
    const key = this.#keyOf(subjectId, envelope.keyVersion, keys);
    if (key === undefined)
      return new KeyNeeded(subjectId, envelope.keyVersion, this.#sealedTarget(event, envelope.paths));
    const match = keyMatch(key, envelope, subjectId);
    if (match === 'foreign')
      throw new IntegrityError(this.#sealedTarget(event, envelope.paths), FOREIGN_SUBJECT);
    let values: unknown[];
    if (match === 'forgotten' || key === null) {
      values = envelope.paths.map(() => JSON.parse(this.#options.redactedJson));
    } else {
      try {
        values = openEventFields(key, subjectId, event, envelope, aad);
      } catch (error) {
        throw new IntegrityError(
          this.#sealedTarget(event, envelope.paths),
          'the ciphertext does not authenticate: changed in storage, moved from another event, or a wrong key',
          { cause: error },
        );
      }
    }
    if (!openFieldsInPlace(data, envelope.paths, values)) {
      throw new IntegrityError(
        this.#sealedTarget(event, envelope.paths),
        'a field path crosses a value that is not an object',
      );
    }
    return undefined;
  }

  /**
   * Envelope version 1, as written before 0.2: one envelope per field, in the field's place. Every
   * field's key is found before any field is written, so an event that needs a key is unchanged.
   */
  #openFieldEnvelopes(
    event: RecordedEvent,
    fields: readonly FieldPath[],
    keys: PageKeys,
  ): KeyNeeded | undefined {
    const found = envelopesOf(event, fields);
    if (found.length === 0) return undefined;
    const subjectId = this.#options.subjectOf(event);
    const opening = [];
    for (const { keys: fieldKeys, path, value } of found) {
      const target = this.#target(event, path);
      const envelope = readEnvelope(value);
      if (typeof envelope === 'string') throw new IntegrityError(target, envelope);
      const key = this.#keyOf(subjectId, envelope.keyVersion, keys);
      if (key === undefined) return new KeyNeeded(subjectId, envelope.keyVersion, target);
      const match = keyMatch(key, envelope, subjectId);
      if (match === 'foreign') throw new IntegrityError(target, FOREIGN_SUBJECT);
      opening.push({ fieldKeys, path, target, sealed: envelope.sealed, key: match === 'same' ? key : null });
    }
    for (const { fieldKeys, path, target, sealed, key } of opening) {
      const plain =
        key === null
          ? JSON.parse(this.#options.redactedJson)
          : this.#openField(key, sealed, subjectId, event, path, target);
      // The path exists: `envelopesOf` found an envelope there.
      setValueAt(event.data as Record<string, unknown>, fieldKeys, plain);
    }
    return undefined;
  }

  /** The key from this read's keys, or else from the cache; `undefined` when neither has it. */
  #keyOf(subjectId: string, version: number, keys: PageKeys): DataKey | null | undefined {
    const inHand = keys.get(subjectId, version);
    if (inHand !== undefined) return inHand;
    const cached = this.#cache.version(subjectId, version);
    if (cached !== undefined) keys.set(subjectId, version, cached);
    return cached;
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

  #openField(
    key: DataKey,
    sealed: Sealed,
    subjectId: string,
    event: RecordedEvent,
    path: string,
    target: IntegrityTarget,
  ): unknown {
    let plaintext: Buffer;
    try {
      plaintext = open(key.cipherKey, sealed, fieldAad(key, subjectId, event, path));
    } catch (error) {
      throw new IntegrityError(
        target,
        'the ciphertext does not authenticate: changed in storage, moved from another field or event, or a wrong key',
        { cause: error },
      );
    }
    return JSON.parse(plaintext.toString('utf8'));
  }

  /** What an event envelope's error is about: the event, with its fields' paths as the field. */
  #sealedTarget(event: RecordedEvent, paths: readonly string[]): IntegrityTarget {
    return this.#target(event, paths.join(', '));
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
