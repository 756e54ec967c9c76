import { inspect } from 'node:util';
import { assertName, ValidationError } from '@strata/core';

const KEY_BYTES = 32;

/**
 * A master key (256 bits) and its id. The bytes are held in a private field and copied in, so
 * logging, `JSON.stringify` or `util.inspect` of the key, or of a configuration holding it, shows
 * the id only. Zero your own copy of the bytes once the key is made, if you can.
 */
export class MasterKey {
  readonly id: string;
  readonly #bytes: Buffer;

  constructor(id: string, bytes: Uint8Array | string) {
    assertName(id, 'masterKey.id');
    const copy = typeof bytes === 'string' ? Buffer.from(bytes, 'base64') : Buffer.from(bytes);
    if (copy.length !== KEY_BYTES) {
      copy.fill(0);
      throw new ValidationError(
        `masterKeys["${id}"]`,
        `must be ${KEY_BYTES} bytes (256 bits), given as bytes or base64 text`,
      );
    }
    this.id = id;
    this.#bytes = copy;
  }

  /** The key bytes, for this package's own use: never log what this returns. */
  static bytesOf(key: MasterKey): Buffer {
    return key.#bytes;
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  toString(): string {
    return `MasterKey(${this.id})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A master key from its id and 32 bytes (or their base64 text), e.g. from a secret manager. */
export function masterKey(id: string, bytes: Uint8Array | string): MasterKey {
  return new MasterKey(id, bytes);
}
