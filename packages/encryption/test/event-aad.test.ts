import { describe, expect, it } from 'vitest';
import { EventAadBytes, eventAad } from '../src/event-aad.js';

const keys = [
  { keyId: 'k-1', version: 1 },
  { keyId: 'k-1', version: 2 },
  { keyId: 'key-two', version: 1 },
];
const texts = ['a', 'ab', 'é', 'ée', '\uD800', 'x\uDC00', '9:x', '12345678-aaaa'];
const pathLists = [['email'], ['email', 'phone'], ['card.number', 'cvv'], ['é']];

/** A small deterministic generator: the same sequence on every run. */
function picker(seed: number) {
  let state = seed;
  return <T>(items: readonly T[]): T => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return items[state % items.length]!;
  };
}

describe('EventAadBytes', () => {
  it('gives the bytes of eventAad for every event of a read, whatever changes from one to the next', () => {
    const pick = picker(7);
    const aad = new EventAadBytes();
    for (let i = 0; i < 2_000; i++) {
      const key = pick(keys);
      const subject = pick(texts);
      const event = { id: pick(texts) + pick(texts), streamId: pick(texts), type: pick(texts) };
      const paths = pick(pathLists);
      expect(aad.of(key, subject, event, paths)).toEqual(
        Buffer.from(eventAad(key, subject, event, paths), 'utf8'),
      );
    }
  });

  it('writes the id again when only the id changes, also to one of another length', () => {
    const aad = new EventAadBytes();
    const key = keys[0]!;
    const paths = ['email'];
    for (const id of ['a', 'b', 'long-id', 'c', 'é', 'e', 'a'.repeat(600), 'f']) {
      const event = { id, streamId: 's', type: 't' };
      expect(aad.of(key, 'u', event, paths).toString('utf8')).toBe(eventAad(key, 'u', event, paths));
    }
  });
});
