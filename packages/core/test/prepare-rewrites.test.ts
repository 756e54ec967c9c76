import { describe, expect, it } from 'vitest';
import {
  type EventRewrite,
  type EventStore,
  MAX_PAYLOAD_BYTES,
  MAX_REWRITE_BATCH_BYTES,
  MAX_REWRITE_BATCH_SIZE,
  prepareRewrites,
  supportsEventRewriteBatch,
  ValidationError,
} from '../src/index.js';

const rewrite = (version: number, overrides: Partial<EventRewrite> = {}): EventRewrite => ({
  streamId: 's-1',
  version,
  id: `e-${version}`,
  position: BigInt(version),
  expectedType: 'old',
  expectedSchemaVersion: 1,
  type: 'new',
  schemaVersion: 2,
  data: { a: version },
  metadata: {},
  ...overrides,
});

function refusal(rewrites: unknown): ValidationError {
  try {
    prepareRewrites(rewrites as EventRewrite[]);
  } catch (error) {
    expect(ValidationError.isInstance(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('the batch was accepted');
}

describe('prepareRewrites', () => {
  it('prepares every rewrite of the batch, in order, and accepts an empty one', () => {
    const prepared = prepareRewrites([rewrite(2), rewrite(1), rewrite(1, { streamId: 's-2' })]);
    expect(prepared.map((r) => [r.streamId, r.version, r.dataJson])).toEqual([
      ['s-1', 2, '{"a":2}'],
      ['s-1', 1, '{"a":1}'],
      ['s-2', 1, '{"a":1}'],
    ]);
    expect(prepareRewrites([])).toEqual([]);
  });

  it('names the rewrite that is bad by its index', () => {
    expect(refusal([rewrite(1), rewrite(2, { schemaVersion: 0 })]).path).toBe('rewrites[1].schemaVersion');
    expect(refusal([rewrite(1), null]).path).toBe('rewrites[1]');
    expect(refusal('x').path).toBe('rewrites');
  });

  it('refuses two rewrites of one stream version, naming both', () => {
    const error = refusal([rewrite(1), rewrite(2), rewrite(1, { data: { other: true } })]);
    expect(error.path).toBe('rewrites[2]');
    expect(error.message).toContain('as rewrites[0] does');
  });

  it(`refuses more than ${MAX_REWRITE_BATCH_SIZE} rewrites`, () => {
    const batch = Array.from({ length: MAX_REWRITE_BATCH_SIZE }, (_, i) => rewrite(i + 1));
    expect(prepareRewrites(batch)).toHaveLength(MAX_REWRITE_BATCH_SIZE);
    batch.push(rewrite(MAX_REWRITE_BATCH_SIZE + 1));
    expect(refusal(batch).message).toContain(`at most ${MAX_REWRITE_BATCH_SIZE}`);
  });

  it(`refuses a batch whose payloads take more than ${MAX_REWRITE_BATCH_BYTES} bytes`, () => {
    const big = 'x'.repeat(MAX_PAYLOAD_BYTES - 100);
    const count = Math.floor(MAX_REWRITE_BATCH_BYTES / MAX_PAYLOAD_BYTES);
    const batch = Array.from({ length: count }, (_, i) => rewrite(i + 1, { data: big }));
    expect(prepareRewrites(batch)).toHaveLength(count);
    batch.push(rewrite(count + 1, { data: big }));
    expect(refusal(batch).path).toBe(`rewrites[${count}]`);
  });
});

describe('supportsEventRewriteBatch', () => {
  it('is true only for a store with both rewriteEvent and rewriteEvents', () => {
    const store = {} as EventStore;
    const one = async () => {};
    expect(supportsEventRewriteBatch({ ...store, rewriteEvents: one } as EventStore)).toBe(false);
    expect(supportsEventRewriteBatch({ ...store, rewriteEvent: one } as EventStore)).toBe(false);
    expect(supportsEventRewriteBatch({ ...store, rewriteEvent: one, rewriteEvents: one } as EventStore)).toBe(
      true,
    );
  });
});
