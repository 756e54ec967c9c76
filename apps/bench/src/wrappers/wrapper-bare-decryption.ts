import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@strata/core';
import { withReadTransform } from './wrapper-read-transform.js';

const DECIPHER_OPTIONS = { authTagLength: 16 };

/**
 * One AES-256-GCM value sealed once, and the bare node:crypto calls that open it (a fresh
 * decipher, AAD, tag, `update`, `final`): what any decryption per event must do, with no JSON, no
 * key lookup and the same bytes every time.
 */
export class BareDecryption {
  readonly #key: KeyObject;
  readonly #iv: Buffer;
  readonly #aad: Buffer;
  readonly #ciphertext: Buffer;
  readonly #tag: Buffer;

  constructor(plaintext: string, aadBytes: number) {
    this.#key = createSecretKey(randomBytes(32));
    this.#iv = randomBytes(12);
    this.#aad = randomBytes(aadBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#key, this.#iv);
    cipher.setAAD(this.#aad);
    this.#ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    this.#tag = cipher.getAuthTag();
  }

  get ciphertextBytes(): number {
    return this.#ciphertext.length;
  }

  /** Opens the value; returns how many bytes came out (checked by callers: none is skipped). */
  open(): number {
    const decipher = createDecipheriv('aes-256-gcm', this.#key, this.#iv, DECIPHER_OPTIONS);
    decipher.setAAD(this.#aad);
    decipher.setAuthTag(this.#tag);
    const opened = decipher.update(this.#ciphertext).length;
    decipher.final();
    return opened;
  }
}

/**
 * `store`, with one bare decryption run for every event a read returns, inside the read, the events
 * themselves unchanged: the cipher floor in place, where a decryption per event really runs (after
 * the store's read, with its objects around), rather than in a tight loop on its own.
 */
export function withBareDecryption(store: EventStore, decryption: BareDecryption): EventStore {
  const opened = (events: RecordedEvent[]): RecordedEvent[] => {
    let bytes = 0;
    for (let i = 0; i < events.length; i++) bytes += decryption.open();
    if (bytes !== decryption.ciphertextBytes * events.length) throw new Error('a decryption came back short');
    return events;
  };
  return withReadTransform(store, opened);
}
