import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';

/** The two ASCII hex digits of every byte value, as character codes. */
const HEX_CODES = new Uint8Array(512);
for (let byte = 0; byte < 256; byte++) {
  const hex = byte.toString(16).padStart(2, '0');
  HEX_CODES[2 * byte] = hex.charCodeAt(0);
  HEX_CODES[2 * byte + 1] = hex.charCodeAt(1);
}
/** Where each of the 16 bytes' two digits go in the 36-character text. */
const DIGIT_OFFSETS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const DASH = 0x2d;

const POOL_SIZE = 16 * 256;
let pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;
let lastMs = -1;
let sequence = 0;
// The text is written as ASCII into one buffer and decoded once: concatenating 20 pieces made a
// rope of strings that every later reader (validation, the drivers) had to flatten again.
const text = Buffer.alloc(36);
text[8] = DASH;
text[13] = DASH;
text[18] = DASH;
text[23] = DASH;

function writeByte(index: number, byte: number): void {
  const at = DIGIT_OFFSETS[index] ?? 0;
  text[at] = HEX_CODES[2 * byte] ?? 0;
  text[at + 1] = HEX_CODES[2 * byte + 1] ?? 0;
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps
 * ids generated in the same millisecond in order, then random bits. Ids sort by creation time,
 * which keeps B-tree inserts local in SQL stores.
 */
export function uuidv7(): string {
  if (poolOffset + 16 > POOL_SIZE) {
    pool = randomFillSync(new Uint8Array(POOL_SIZE));
    poolOffset = 0;
  }
  const random = poolOffset;
  poolOffset += 16;

  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    sequence = ((pool[random + 6] ?? 0) & 0x07) << 8;
  } else {
    ms = lastMs;
    sequence++;
    if (sequence > 0xfff) {
      // Counter overflow in one millisecond: borrow the next millisecond to stay monotonic.
      lastMs++;
      ms = lastMs;
      sequence = 0;
    }
  }
  writeByte(0, Math.floor(ms / 2 ** 40) & 0xff);
  writeByte(1, Math.floor(ms / 2 ** 32) & 0xff);
  writeByte(2, (ms >>> 24) & 0xff);
  writeByte(3, (ms >>> 16) & 0xff);
  writeByte(4, (ms >>> 8) & 0xff);
  writeByte(5, ms & 0xff);
  writeByte(6, 0x70 | ((sequence >>> 8) & 0x0f));
  writeByte(7, sequence & 0xff);
  writeByte(8, 0x80 | ((pool[random + 8] ?? 0) & 0x3f));
  for (let i = 9; i < 16; i++) writeByte(i, pool[random + i] ?? 0);
  return text.toString('latin1', 0, 36);
}
