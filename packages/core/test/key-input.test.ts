import { describe, expect, it } from 'vitest';
import { compareKeys, normalizeListKeys, prepareDataKey, ValidationError } from '../src/index.js';

const key = { subjectId: 'user-1', version: 1, keyId: 'k-1', masterKeyId: 'm-1', wrappedKey: 'AAAA' };

function pathOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (ValidationError.isInstance(error)) return error.path;
    throw error;
  }
  return undefined;
}

describe('prepareDataKey', () => {
  it('copies the key fields and drops anything else', () => {
    const prepared = prepareDataKey({ ...key, extra: 1 } as typeof key);
    expect(prepared).toEqual(key);
  });

  it('names the field that is wrong', () => {
    expect(pathOf(() => prepareDataKey({ ...key, subjectId: '' }))).toBe('key.subjectId');
    expect(pathOf(() => prepareDataKey({ ...key, version: 0 }))).toBe('key.version');
    expect(pathOf(() => prepareDataKey({ ...key, version: 1.5 }))).toBe('key.version');
    expect(pathOf(() => prepareDataKey({ ...key, keyId: 'a\u0000' }))).toBe('key.keyId');
    expect(pathOf(() => prepareDataKey({ ...key, masterKeyId: 7 as unknown as string }))).toBe(
      'key.masterKeyId',
    );
    expect(pathOf(() => prepareDataKey({ ...key, wrappedKey: 'not base64!' }))).toBe('key.wrappedKey');
    expect(pathOf(() => prepareDataKey(null as unknown as typeof key))).toBe('key');
  });
});

describe('normalizeListKeys', () => {
  it('defaults the limit and checks the cursor', () => {
    expect(normalizeListKeys(undefined)).toEqual({ after: undefined, limit: 1_000 });
    expect(normalizeListKeys({ after: { subjectId: 'a', version: 2 }, limit: 5 })).toEqual({
      after: { subjectId: 'a', version: 2 },
      limit: 5,
    });
    expect(pathOf(() => normalizeListKeys({ limit: 0 }))).toBe('options.limit');
    expect(pathOf(() => normalizeListKeys({ after: { subjectId: 'a', version: 0 } }))).toBe(
      'options.after.version',
    );
  });

  it('orders by subject id in code units, then version', () => {
    const keys = [
      { subjectId: 'b', version: 1 },
      { subjectId: 'a', version: 2 },
      { subjectId: 'a', version: 1 },
      { subjectId: 'B', version: 9 },
    ];
    expect(keys.sort(compareKeys)).toEqual([
      { subjectId: 'B', version: 9 },
      { subjectId: 'a', version: 1 },
      { subjectId: 'a', version: 2 },
      { subjectId: 'b', version: 1 },
    ]);
  });
});
