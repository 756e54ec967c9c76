import { randomFillSync } from 'node:crypto';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL_SIZE = 16 * 256;
let pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;
let lastMs = -1;
let sequence = 0;

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
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;

  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    sequence = ((bytes[6] ?? 0) & 0x07) << 8;
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
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((sequence >>> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);

  let out = '';
  for (let i = 0; i < 16; i++) {
    out += HEX[bytes[i] ?? 0];
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
  }
  return out;
}
