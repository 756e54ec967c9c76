import { describe, expect, it } from 'vitest';
import {
  deadLetterErrorOf,
  MAX_DEAD_LETTER_TEXT,
  normalizeListDeadLetters,
  prepareDeadLetter,
  ValidationError,
} from '../src/index.js';

const letter = {
  projector: 'order-list',
  position: 7n,
  eventId: 'e-1',
  streamId: 'order-1',
  version: 3,
  eventType: 'order.placed',
  error: { name: 'TypeError', message: 'boom', stack: null },
  attempts: 2,
};

function pathOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.path;
    throw error;
  }
  return undefined;
}

describe('dead letter input', () => {
  it('turns anything thrown into storable plain data', () => {
    const error = new RangeError(`bad\u0000 \uD800 ${'x'.repeat(MAX_DEAD_LETTER_TEXT)}`);
    const plain = deadLetterErrorOf(error);
    expect(plain.name).toBe('RangeError');
    expect(plain.message.startsWith('bad\uFFFD \uFFFD x')).toBe(true);
    expect(plain.message).toHaveLength(MAX_DEAD_LETTER_TEXT);
    expect(typeof plain.stack).toBe('string');
    expect(deadLetterErrorOf({ code: 42 })).toEqual({
      name: 'NonError',
      message: '{"code":42}',
      stack: null,
    });
    expect(deadLetterErrorOf('plain')).toEqual({ name: 'NonError', message: 'plain', stack: null });
    expect(() => prepareDeadLetter({ ...letter, error: deadLetterErrorOf(error) })).not.toThrow();
  });

  it('fills in failedAt and names the bad field', () => {
    expect(prepareDeadLetter(letter).failedAt).toBeInstanceOf(Date);
    expect(pathOf(() => prepareDeadLetter({ ...letter, projector: '' }))).toBe('deadLetter.projector');
    expect(pathOf(() => prepareDeadLetter({ ...letter, position: -1n }))).toBe('deadLetter.position');
    expect(pathOf(() => prepareDeadLetter({ ...letter, version: 2 ** 31 }))).toBe('deadLetter.version');
    expect(pathOf(() => prepareDeadLetter({ ...letter, attempts: 0 }))).toBe('deadLetter.attempts');
    expect(
      pathOf(() => prepareDeadLetter({ ...letter, error: { name: 'E', message: 'a\u0000', stack: null } })),
    ).toBe('deadLetter.error.message');
    expect(pathOf(() => prepareDeadLetter({ ...letter, failedAt: new Date(Number.NaN) }))).toBe(
      'deadLetter.failedAt',
    );
    expect(pathOf(() => normalizeListDeadLetters('p', { limit: 0 }))).toBe('options.limit');
    expect(normalizeListDeadLetters('p')).toEqual({ after: undefined, limit: 100 });
  });
});
