import { describe, expect, it } from 'vitest';
import {
  type EventRewrite,
  EventRewriteConflictError,
  type EventStore,
  MAX_PAYLOAD_BYTES,
  prepareRewrite,
  rewriteConflict,
  rewriteGuardHolds,
  supportsEventRewrite,
  ValidationError,
} from '../src/index.js';

const rewrite = (overrides: Partial<EventRewrite> = {}): EventRewrite => ({
  streamId: 's-1',
  version: 2,
  id: 'e-2',
  position: 7n,
  expectedType: 'old',
  expectedSchemaVersion: 1,
  type: 'new',
  schemaVersion: 2,
  data: { a: 1 },
  metadata: { m: true },
  ...overrides,
});

function refusal(overrides: Partial<EventRewrite>): string | undefined {
  try {
    prepareRewrite(rewrite(overrides));
    return undefined;
  } catch (error) {
    expect(ValidationError.isInstance(error)).toBe(true);
    return (error as ValidationError).message;
  }
}

describe('prepareRewrite', () => {
  it('returns the rewrite with its payload as JSON text, copied', () => {
    const data = { a: 1 };
    const prepared = prepareRewrite(rewrite({ data }));
    data.a = 2;
    expect(prepared).toMatchObject({ dataJson: '{"a":1}', metadataJson: '{"m":true}', data: { a: 1 } });
  });

  it.each([
    ['streamId', { streamId: '' }],
    ['version', { version: 0 }],
    ['version', { version: 1.5 }],
    ['id', { id: 'x'.repeat(256) }],
    ['position', { position: 0n }],
    ['position', { position: 3 as unknown as bigint }],
    ['expectedType', { expectedType: '' }],
    ['expectedSchemaVersion', { expectedSchemaVersion: 0 }],
    ['type', { type: 'a\u0000b' }],
    ['schemaVersion', { schemaVersion: 2 ** 31 }],
    ['data', { data: { n: Number.NaN } }],
    ['data', { data: undefined }],
    ['metadata', { metadata: [] as unknown as Record<string, unknown> }],
    ['metadata', { metadata: undefined as unknown as Record<string, unknown> }],
    ['data', { data: 'x'.repeat(MAX_PAYLOAD_BYTES) }],
  ])('refuses a bad %s', (field, overrides) => {
    expect(refusal(overrides)).toContain(`rewrite.${field}`);
  });

  it('checks the guard against what is stored', () => {
    const prepared = prepareRewrite(rewrite());
    const stored = { id: 'e-2', position: 7n, type: 'old', schemaVersion: 1 };
    expect(rewriteGuardHolds(prepared, stored)).toBe(true);
    expect(rewriteGuardHolds(prepared, undefined)).toBe(false);
    expect(rewriteGuardHolds(prepared, { ...stored, id: 'e-3' })).toBe(false);
    expect(rewriteGuardHolds(prepared, { ...stored, position: 8n })).toBe(false);
    expect(rewriteGuardHolds(prepared, { ...stored, type: 'new' })).toBe(false);
    expect(rewriteGuardHolds(prepared, { ...stored, schemaVersion: 2 })).toBe(false);
  });

  it('builds a conflict error that names both sides', () => {
    const error = rewriteConflict(prepareRewrite(rewrite()), {
      id: 'e-2',
      position: 7n,
      type: 'new',
      schemaVersion: 2,
    });
    expect(EventRewriteConflictError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      streamId: 's-1',
      version: 2,
      expected: { type: 'old' },
      actual: { type: 'new' },
    });
    expect(error.message).toContain('read the event again');
  });
});

describe('supportsEventRewrite', () => {
  it('is true only for a store with rewriteEvent', () => {
    const store = {} as EventStore;
    expect(supportsEventRewrite(store)).toBe(false);
    expect(supportsEventRewrite({ ...store, rewriteEvent: async () => {} } as EventStore)).toBe(true);
  });
});
