import { describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  DuplicateEventError,
  LeaseHeldError,
  PositionsExhaustedError,
  SerializationError,
  StoreClosedError,
  StoreUnavailableError,
  StrataError,
  StreamNotFoundError,
  UnsupportedOperationError,
  ValidationError,
} from '../src/index.js';

describe('errors', () => {
  it('carry what a caller needs to act on', () => {
    const error = new ConcurrencyError('order-1', 3, 5);
    expect(error).toMatchObject({
      code: 'STRATA_CONCURRENCY',
      streamId: 'order-1',
      expectedVersion: 3,
      actualVersion: 5,
    });
    expect(error.name).toBe('ConcurrencyError');
    expect(error.message).toContain('Reload');
  });

  it('say that an exhausted log wrote nothing and where to go on', () => {
    const error = new PositionsExhaustedError('mysql');
    expect(error).toMatchObject({ code: 'STRATA_POSITIONS_EXHAUSTED', store: 'mysql' });
    expect(error.message).toContain('nothing was written');
    expect(error.message).toContain('2^63 - 1');
  });

  it('keep the driver error as cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new StoreUnavailableError('postgres', cause);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('[postgres]');
  });

  it('are recognised by isInstance across package copies, by marker and code', () => {
    // A copy of the class from another bundle: same Symbol.for marker and code, different identity.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('strata.error')]: true,
      code: 'STRATA_CONCURRENCY',
    });
    expect(ConcurrencyError.isInstance(foreign)).toBe(true);
    expect(StrataError.isInstance(foreign)).toBe(true);
    expect(ValidationError.isInstance(foreign)).toBe(false);
    expect(ConcurrencyError.isInstance(new Error('plain'))).toBe(false);
    expect(ConcurrencyError.isInstance(null)).toBe(false);
  });

  it('have one stable code each', () => {
    const errors = [
      new ConcurrencyError('s', 'no_stream', 1),
      new DuplicateEventError('e', 's', 'other'),
      new SerializationError('t', 'bad'),
      new StoreClosedError('memory'),
      new StoreUnavailableError('memory', 'down'),
      new StreamNotFoundError('s'),
      new ValidationError('events', 'bad'),
      new UnsupportedOperationError('redis', 'readAll', 'a cluster keeps no global log'),
      new PositionsExhaustedError('mysql'),
      new LeaseHeldError('order-list'),
    ];
    expect(new Set(errors.map((e) => e.code)).size).toBe(errors.length);
    for (const error of errors) expect(error).toBeInstanceOf(StrataError);
  });
});
