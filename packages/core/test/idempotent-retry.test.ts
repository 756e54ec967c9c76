import { describe, expect, it } from 'vitest';
import { DuplicateEventError } from '../src/errors/duplicate-event-error.js';
import { resolveIdempotentRetry } from '../src/idempotent-retry.js';
import { prepareAppend } from '../src/prepare-append.js';

const batch = prepareAppend('s', [
  { id: 'a', type: 't', data: 1 },
  { id: 'b', type: 't', data: 2 },
]);

describe('resolveIdempotentRetry', () => {
  it('returns undefined when no id exists', () => {
    expect(resolveIdempotentRetry(batch, [])).toBeUndefined();
  });

  it('returns the original result for an exact retry, whatever order the lookup returned', () => {
    const found = [
      { id: 'b', streamId: 's', version: 5, position: 12n },
      { id: 'a', streamId: 's', version: 4, position: 11n },
    ];
    expect(resolveIdempotentRetry(batch, found)).toEqual({
      streamId: 's',
      firstVersion: 4,
      lastVersion: 5,
      lastPosition: 12n,
    });
  });

  it.each([
    ['only part of the batch exists', [{ id: 'a', streamId: 's', version: 4, position: 11n }]],
    [
      'the ids live in another stream',
      [
        { id: 'a', streamId: 'other', version: 1, position: 1n },
        { id: 'b', streamId: 'other', version: 2, position: 2n },
      ],
    ],
    [
      'the order differs',
      [
        { id: 'a', streamId: 's', version: 5, position: 12n },
        { id: 'b', streamId: 's', version: 4, position: 11n },
      ],
    ],
    [
      'the versions are not consecutive',
      [
        { id: 'a', streamId: 's', version: 4, position: 11n },
        { id: 'b', streamId: 's', version: 6, position: 13n },
      ],
    ],
  ])('throws DuplicateEventError when %s', (_name, found) => {
    expect(() => resolveIdempotentRetry(batch, found)).toThrow(DuplicateEventError);
  });
});
