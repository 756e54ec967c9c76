import { describe, expect, it } from 'vitest';
import { CLUSTER_SLOTS, keySlot, slotTag } from '../src/key-slot.js';
import { hashTagOf } from '../src/redis-keys.js';

describe('key slots', () => {
  it('match the values Redis documents', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('bar')).toBe(5061);
    expect(keySlot('123456789')).toBe(0x31c3 % CLUSTER_SLOTS);
    // Only the first {tag} counts, and an empty {} does not.
    expect(keySlot('x{foo}y')).toBe(12182);
    expect(keySlot('{foo}{bar}')).toBe(12182);
    expect(keySlot('{}foo')).toBe(keySlot('{}foo'));
    expect(keySlot('{}foo')).not.toBe(keySlot('foo'));
  });

  it('have a tag for every slot', () => {
    for (let slot = 0; slot < CLUSTER_SLOTS; slot++) expect(keySlot(`p:{${slotTag(slot)}}:seq`)).toBe(slot);
  });

  it('keep every key of a stream in one slot whatever braces the stream id holds', () => {
    for (const streamId of ['a}b', '{x}', '}{', '%7D', 'a%b{', '{}']) {
      const tag = hashTagOf(streamId);
      expect(tag).not.toMatch(/[{}]/);
      expect(keySlot(`p:{${tag}}:e`)).toBe(keySlot(`p:{${tag}}:i`));
    }
    expect(new Set(['a}b', 'a%7Db', 'a%257Db'].map(hashTagOf)).size).toBe(3);
  });
});
