import { describe, expect, it } from 'vitest';
import { normalizeAppendHookOptions, ValidationError } from '../src/index.js';

describe('normalizeAppendHookOptions', () => {
  it('returns nothing without a checkpoint request', () => {
    expect(normalizeAppendHookOptions(undefined)).toBeUndefined();
    expect(normalizeAppendHookOptions({})).toBeUndefined();
  });

  it('copies the request, its types without repeats', () => {
    const types = ['a', 'b', 'a'];
    const request = normalizeAppendHookOptions({ advanceCheckpoint: { name: 'p', types } });
    expect(request).toEqual({ name: 'p', types: ['a', 'b'] });
    types.push('c');
    expect(request?.types).toEqual(['a', 'b']);
  });

  it('refuses a bad name, no types or a bad type, saying which', () => {
    const refused = (options: unknown) => () => normalizeAppendHookOptions(options as never);
    expect(refused(null)).toThrow(ValidationError);
    expect(refused({ advanceCheckpoint: 'p' })).toThrow(/options\.advanceCheckpoint/);
    expect(refused({ advanceCheckpoint: { name: '', types: ['a'] } })).toThrow(
      /options\.advanceCheckpoint\.name/,
    );
    expect(refused({ advanceCheckpoint: { name: 'p', types: [] } })).toThrow(/non-empty array/);
    expect(refused({ advanceCheckpoint: { name: 'p', types: ['a', 7] } })).toThrow(
      /options\.advanceCheckpoint\.types\[1\]/,
    );
  });
});
