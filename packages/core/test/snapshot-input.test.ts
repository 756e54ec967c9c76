import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/errors/validation-error.js';
import {
  assertCheckpointPosition,
  MAX_VERSION,
  normalizeLoadSnapshot,
  prepareSnapshot,
} from '../src/snapshot-input.js';

describe('snapshot and checkpoint input', () => {
  it('prepares a snapshot with its JSON and a creation time', () => {
    const prepared = prepareSnapshot({ streamId: 's', version: 3, stateVersion: 1, state: { total: 5 } });
    expect(prepared).toMatchObject({ streamId: 's', version: 3, stateVersion: 1, stateJson: '{"total":5}' });
    expect(prepared.createdAt).toBeInstanceOf(Date);
  });

  it.each([
    ['a missing stream id', { streamId: '', version: 1, stateVersion: 1, state: {} }, 'snapshot.streamId'],
    ['a negative version', { streamId: 's', version: -1, stateVersion: 1, state: {} }, 'snapshot.version'],
    [
      'a version past 32 bits',
      { streamId: 's', version: MAX_VERSION + 1, stateVersion: 1, state: {} },
      'snapshot.version',
    ],
    [
      'a state that is not JSON',
      { streamId: 's', version: 1, stateVersion: 1, state: { at: new Date() } },
      'snapshot.state.at',
    ],
    [
      'a bad createdAt',
      { streamId: 's', version: 1, stateVersion: 1, state: {}, createdAt: new Date(Number.NaN) },
      'snapshot.createdAt',
    ],
  ])('rejects %s', (_name, snapshot, path) => {
    expect(() => prepareSnapshot(snapshot)).toThrow(expect.objectContaining({ path }));
  });

  it('clamps maxVersion and validates the state version', () => {
    expect(normalizeLoadSnapshot('s', { maxVersion: Number.MAX_SAFE_INTEGER }).maxVersion).toBe(MAX_VERSION);
    expect(() => normalizeLoadSnapshot('s', { stateVersion: 1.5 })).toThrow(ValidationError);
  });

  it('accepts checkpoint positions from 0 to 2^63 - 1 only', () => {
    expect(() => assertCheckpointPosition(0n)).not.toThrow();
    expect(() => assertCheckpointPosition(2n ** 63n)).toThrow(ValidationError);
    expect(() => assertCheckpointPosition(5)).toThrow(ValidationError);
  });
});
