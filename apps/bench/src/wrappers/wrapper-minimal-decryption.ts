import { createDecipheriv, type KeyObject } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@strata/core';
import { ENVELOPE_MARK } from '@strata/encryption';
import { subjectOfCustomer } from './wrapper-events.js';
import { withReadTransform } from './wrapper-read-transform.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const DECIPHER_OPTIONS = { authTagLength: TAG_BYTES };

/** The stored envelope's fields this read uses (`@strata/encryption`'s `event-envelope.ts`, version 2). */
interface StoredEnvelope {
  kid: string;
  kv: number;
  sub: string;
  paths: string[];
  ct: string;
}

/**
 * The least work that opens one stored event of `withEncryption` (envelope version 2) with
 * node:crypto, in place: decode its base64 `iv | tag | ciphertext`, one AES-256-GCM decryption under
 * its data key (looked up by the envelope's key id in keys unwrapped before any timing), the AAD
 * the format binds (the tag does not verify without it: only what changed from the event before is
 * written again),
 * `JSON.parse` of the values, written back in place of the envelope. No checks: a yardstick for the
 * wrapper, valid for the bench's events only (ASCII ids, top-level paths), checked against it.
 */
export class MinimalDecryption {
  #keys: ReadonlyMap<string, KeyObject> = new Map();
  // Decoded into and written into again per event, as the package does: no allocation per event.
  readonly #sealed = Buffer.allocUnsafeSlow(4096);
  readonly #iv = this.#sealed.subarray(0, IV_BYTES);
  readonly #tag = this.#sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  #ciphertext = this.#sealed.subarray(0, 0);
  readonly #aad = Buffer.allocUnsafeSlow(1024);
  #aadView = this.#aad.subarray(0, 0);
  #prefixBytes = 0;
  #prefixKid = '';
  #prefixKv = 0;
  #prefixSubject = '';
  #suffix = '';
  // The bench's events all seal the same paths: the suffix is keyed on stream and type alone.
  #suffixStream = '';
  #suffixType = '';

  /** The data keys, by key id: given once, before the case is timed. */
  useKeys(keys: ReadonlyMap<string, KeyObject>): void {
    this.#keys = keys;
  }

  /** Opens every event's sealed fields into its own data; returns the same events. */
  openInPlace(events: RecordedEvent[]): RecordedEvent[] {
    for (let i = 0; i < events.length; i++) this.#open(events[i]!);
    return events;
  }

  #open(event: RecordedEvent): void {
    const data = event.data as Record<string, unknown>;
    const envelope = data[ENVELOPE_MARK] as StoredEnvelope;
    const sealedBytes = this.#sealed.write(envelope.ct, 0, 'base64');
    if (this.#ciphertext.length !== sealedBytes - IV_BYTES - TAG_BYTES)
      this.#ciphertext = this.#sealed.subarray(IV_BYTES + TAG_BYTES, sealedBytes);
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.#keys.get(envelope.kid)!,
      this.#iv,
      DECIPHER_OPTIONS,
    );
    decipher.setAAD(this.#aadOf(event, envelope));
    decipher.setAuthTag(this.#tag);
    const plaintext = decipher.update(this.#ciphertext);
    decipher.final();
    const values = JSON.parse(plaintext.toString('utf8')) as unknown[];
    delete data[ENVELOPE_MARK];
    const paths = envelope.paths;
    for (let i = 0; i < paths.length; i++) data[paths[i]!] = values[i];
  }

  /**
   * `eventAad`'s bytes (`@strata/encryption`'s `event-aad.ts`) for ASCII texts, each with its length
   * in front: the part before the event id (key and subject) written again only when it changes,
   * the id every event, the part after it (stream, type, paths) whenever the stream or type changes.
   */
  #aadOf(event: RecordedEvent, envelope: StoredEnvelope): Buffer {
    const { kid, kv, paths } = envelope;
    const subject = subjectOfCustomer(event);
    if (kid !== this.#prefixKid || kv !== this.#prefixKv || subject !== this.#prefixSubject) {
      this.#prefixBytes = this.#aad.write(
        `strata.event|2|AES-256-GCM|${kid.length}:${kid}${kv}|${subject.length}:${subject}`,
        0,
        'latin1',
      );
      this.#prefixKid = kid;
      this.#prefixKv = kv;
      this.#prefixSubject = subject;
    }
    const { id, streamId, type } = event;
    if (streamId !== this.#suffixStream || type !== this.#suffixType) {
      let suffix = `${streamId.length}:${streamId}${type.length}:${type}${paths.length}|`;
      for (let i = 0; i < paths.length; i++) suffix += `${paths[i]!.length}:${paths[i]}`;
      this.#suffix = suffix;
      this.#suffixStream = streamId;
      this.#suffixType = type;
    }
    let length = this.#prefixBytes + this.#aad.write(`${id.length}:${id}`, this.#prefixBytes, 'latin1');
    length += this.#aad.write(this.#suffix, length, 'latin1');
    if (this.#aadView.length !== length) this.#aadView = this.#aad.subarray(0, length);
    return this.#aadView;
  }
}

/**
 * `store`, each read's events opened in place by `decryption` after the store's read: the minimal
 * decrypting read, what any field-level encryption over a JSON column must do per event at least.
 */
export function withMinimalDecryption(store: EventStore, decryption: MinimalDecryption): EventStore {
  return withReadTransform(store, (events) => decryption.openInPlace(events));
}
