import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';

/** The one algorithm, as named in every envelope. */
export const ALGORITHM = 'AES-256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A 256-bit key as raw bytes, or as a `KeyObject` made once per data key: handing node:crypto a
 * `KeyObject` skips copying and checking the bytes on every value (a sixth of a decryption).
 */
export type CipherKey = Buffer | KeyObject;

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * Random bytes are drawn 4 KiB at a time and handed out 12 at a time: one call to the system's
 * generator per 341 IVs instead of one per value, which was a tenth of an append's own cost. Each
 * IV is still fresh random bytes, used once.
 */
const IV_POOL_BYTES = IV_BYTES * 341;
let ivPool = Buffer.alloc(0);
let ivPoolOffset = 0;

function freshIv(): Buffer {
  if (ivPoolOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivPoolOffset = 0;
  }
  const iv = ivPool.subarray(ivPoolOffset, ivPoolOffset + IV_BYTES);
  ivPoolOffset += IV_BYTES;
  return iv;
}

/** Encrypts `plaintext` under `key` with a fresh 96-bit IV, authenticating `aad` with it. */
export function seal(key: CipherKey, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** The plaintext, or a throw when the ciphertext, the IV, the tag, the AAD or the key is not the one sealed. */
export function open(key: CipherKey, sealed: Sealed, aad: Buffer): Buffer {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new Error(`the IV must be ${IV_BYTES} bytes and the tag ${TAG_BYTES}`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  const plaintext = decipher.update(sealed.ciphertext);
  // GCM releases nothing more at the end; `final` is where the tag is checked, and throws.
  decipher.final();
  return plaintext;
}

/** Given to every decipher: one object for all, not one per value. */
const DECIPHER_OPTIONS = { authTagLength: TAG_BYTES };

/**
 * Room for one `openPacked` at a time, reused: it runs synchronously, and node:crypto copies the IV
 * and tag it keeps. Decoding into it instead of into new buffers saves an allocation per read
 * event, and its views (IV, tag, and the ciphertext while its length stays the same) are made
 * once, not per event. It only ever holds ciphertext, never plaintext or a key.
 */
class PackedScratch {
  readonly bytes: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  #ciphertext: Buffer;

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafeSlow(size);
    this.iv = this.bytes.subarray(0, IV_BYTES);
    this.tag = this.bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    this.#ciphertext = this.bytes.subarray(IV_BYTES + TAG_BYTES, IV_BYTES + TAG_BYTES);
  }

  /** The ciphertext of `sealedBytes` decoded bytes. */
  ciphertext(sealedBytes: number): Buffer {
    if (this.#ciphertext.length !== sealedBytes - IV_BYTES - TAG_BYTES) {
      this.#ciphertext = this.bytes.subarray(IV_BYTES + TAG_BYTES, sealedBytes);
    }
    return this.#ciphertext;
  }
}

let scratch = new PackedScratch(4096);
const MAX_KEPT_SCRATCH = 1 << 20;

/** `open` of `packSealed`'s base64 text: what an event read calls, once an event. */
export function openPacked(key: CipherKey, packed: string, aad: Buffer): Buffer {
  // An upper bound: base64 decodes to at most 3 bytes per 4 characters.
  const room = Math.ceil(packed.length / 4) * 3;
  let space = scratch;
  if (room > space.bytes.length) {
    space = new PackedScratch(room);
    if (room <= MAX_KEPT_SCRATCH) scratch = space;
  }
  const sealedBytes = space.bytes.write(packed, 0, 'base64');
  if (sealedBytes < IV_BYTES + TAG_BYTES) throw new Error('the IV and tag are cut short');
  const decipher = createDecipheriv('aes-256-gcm', key, space.iv, DECIPHER_OPTIONS);
  decipher.setAAD(aad);
  decipher.setAuthTag(space.tag);
  const plaintext = decipher.update(space.ciphertext(sealedBytes));
  // GCM releases nothing more at the end; `final` is where the tag is checked, and throws.
  decipher.final();
  return plaintext;
}

/** `iv | tag | ciphertext` as base64, for a wrapped data key. */
export function packSealed(sealed: Sealed): string {
  return Buffer.concat([sealed.iv, sealed.tag, sealed.ciphertext]).toString('base64');
}

export function unpackSealed(text: string): Sealed {
  const bytes = Buffer.from(text, 'base64');
  return {
    iv: bytes.subarray(0, IV_BYTES),
    tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES),
  };
}
