/** Redis Cluster has 16384 hash slots; a key's slot is CRC16(key or its hash tag) mod 16384. */
export const CLUSTER_SLOTS = 16384;

const CRC16_TABLE = buildCrc16Table();

/** The slot Redis Cluster assigns to `key` (honouring a `{hash tag}` as Redis does). */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    // An empty tag `{}` does not count: Redis then hashes the whole key.
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % CLUSTER_SLOTS;
  }
  return crc16(bytes) % CLUSTER_SLOTS;
}

let slotTags: string[] | undefined;

/**
 * A short hash tag whose slot is `slot`. Keys of one Lua script must share a slot, not a tag, so a
 * per-slot key (the cluster position counter) can sit beside any stream's keys in one script.
 */
export function slotTag(slot: number): string {
  slotTags ??= buildSlotTags();
  return slotTags[slot]!;
}

function buildSlotTags(): string[] {
  const tags = new Array<string>(CLUSTER_SLOTS);
  let found = 0;
  // About 180,000 CRCs of short strings cover every slot; done once, only in cluster mode.
  for (let n = 0; found < CLUSTER_SLOTS; n++) {
    const tag = `#${n.toString(36)}`;
    const slot = crc16(Buffer.from(tag, 'latin1')) % CLUSTER_SLOTS;
    if (tags[slot] === undefined) {
      tags[slot] = tag;
      found++;
    }
  }
  return tags;
}

/** CRC16-CCITT (XMODEM), the variant Redis Cluster uses. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

function buildCrc16Table(): Uint16Array {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
}
