import { ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import {
  adaptive,
  adaptiveThreshold,
  allOf,
  anyOf,
  everyNEvents,
  never,
  type SnapshotContext,
  timeBased,
} from '../src/index.js';

function context(overrides: Partial<SnapshotContext> = {}): SnapshotContext {
  return {
    streamId: 's-1',
    streamType: 'order',
    version: 100,
    eventsSinceSnapshot: 0,
    msSinceSnapshot: 0,
    replayMsPerEvent: 0,
    lastReplayMs: 0,
    stateBytes: 0,
    loadsPerMinute: 0,
    ...overrides,
  };
}

describe('everyNEvents', () => {
  it('snapshots once n events came since the last snapshot (default 10)', () => {
    const every10 = everyNEvents();
    expect(every10.shouldSnapshot(context({ eventsSinceSnapshot: 9 }))).toBe(false);
    expect(every10.shouldSnapshot(context({ eventsSinceSnapshot: 10 }))).toBe(true);
    expect(everyNEvents(3).shouldSnapshot(context({ eventsSinceSnapshot: 4 }))).toBe(true);
  });

  it('rejects a threshold that is not a positive integer', () => {
    expect(() => everyNEvents(0)).toThrow(ValidationError);
    expect(() => everyNEvents(2.5)).toThrow(ValidationError);
  });
});

describe('timeBased', () => {
  it('snapshots when the last one is older than the interval and something changed', () => {
    const hourly = timeBased(3_600_000);
    expect(hourly.shouldSnapshot(context({ eventsSinceSnapshot: 5, msSinceSnapshot: 3_599_999 }))).toBe(
      false,
    );
    expect(hourly.shouldSnapshot(context({ eventsSinceSnapshot: 5, msSinceSnapshot: 3_600_000 }))).toBe(true);
    expect(hourly.shouldSnapshot(context({ eventsSinceSnapshot: 0, msSinceSnapshot: 9_000_000 }))).toBe(
      false,
    );
    expect(() => timeBased(0)).toThrow(ValidationError);
  });
});

describe('never, anyOf and allOf', () => {
  it('never snapshots after a save', () => {
    expect(never.shouldSnapshot(context({ eventsSinceSnapshot: 1_000_000, msSinceSnapshot: 1e12 }))).toBe(
      false,
    );
  });

  it('combine strategies', () => {
    const either = anyOf(everyNEvents(100), timeBased(60_000));
    const both = allOf(everyNEvents(100), timeBased(60_000));
    const manyEvents = context({ eventsSinceSnapshot: 150, msSinceSnapshot: 1_000 });
    const longAgo = context({ eventsSinceSnapshot: 5, msSinceSnapshot: 120_000 });
    expect(either.shouldSnapshot(manyEvents)).toBe(true);
    expect(either.shouldSnapshot(longAgo)).toBe(true);
    expect(both.shouldSnapshot(manyEvents)).toBe(false);
    expect(both.shouldSnapshot(context({ eventsSinceSnapshot: 150, msSinceSnapshot: 120_000 }))).toBe(true);
    expect(either.name).toBe('anyOf(everyNEvents(100), timeBased(60000ms))');
    expect(() => anyOf()).toThrow(ValidationError);
  });
});

describe('adaptive', () => {
  it('uses eventCountThreshold for a stream with no pressure', () => {
    expect(adaptiveThreshold(context())).toBe(50);
    expect(adaptiveThreshold(context(), { eventCountThreshold: 200 })).toBe(200);
  });

  it('snapshots costly, often loaded or slow streams sooner, and big states later', () => {
    const base = adaptiveThreshold(context());
    expect(adaptiveThreshold(context({ replayMsPerEvent: 0.1 }))).toBeLessThan(base);
    expect(adaptiveThreshold(context({ loadsPerMinute: 60 }))).toBeLessThan(base);
    expect(adaptiveThreshold(context({ lastReplayMs: 200 }))).toBeLessThan(base);
    expect(adaptiveThreshold(context({ msSinceSnapshot: 7_200_000 }))).toBeLessThan(base);
    expect(adaptiveThreshold(context({ stateBytes: 512 * 1024 }))).toBeGreaterThan(base);
  });

  it('never leaves [minThreshold, maxThreshold]', () => {
    const hot = context({
      replayMsPerEvent: 50,
      loadsPerMinute: 10_000,
      lastReplayMs: 60_000,
      msSinceSnapshot: 1e9,
    });
    expect(adaptiveThreshold(hot)).toBe(10);
    expect(adaptiveThreshold(hot, { minThreshold: 25 })).toBe(25);
    const huge = context({ stateBytes: 2 ** 40 });
    expect(adaptiveThreshold(huge, { eventCountThreshold: 900 })).toBe(1000);
    expect(adaptiveThreshold(huge, { eventCountThreshold: 900, maxThreshold: 500 })).toBe(500);
  });

  it('decides with the threshold it computes', () => {
    const strategy = adaptive({ eventCountThreshold: 40 });
    expect(strategy.shouldSnapshot(context({ eventsSinceSnapshot: 39 }))).toBe(false);
    expect(strategy.shouldSnapshot(context({ eventsSinceSnapshot: 40 }))).toBe(true);
  });

  it('rejects knobs that make no sense', () => {
    expect(() => adaptive({ minThreshold: 100, maxThreshold: 10 })).toThrow(ValidationError);
    expect(() => adaptive({ sizeWeight: -1 })).toThrow(ValidationError);
    expect(() => adaptive({ timeThresholdSeconds: 0 })).toThrow(ValidationError);
  });

  // The README's table of typical streams: keep them in step.
  it.each([
    ['a quiet stream, cheap events', {}, 50],
    ['a shopping cart loaded 30 times a minute', { loadsPerMinute: 30, replayMsPerEvent: 0.005 }, 16],
    ['an order with 50 µs events, last load 25 ms', { replayMsPerEvent: 0.05, lastReplayMs: 25 }, 11],
    ['a ledger with 5 ms events', { replayMsPerEvent: 5, lastReplayMs: 400 }, 10],
    ['a 256 KiB document, rarely loaded', { stateBytes: 256 * 1024, loadsPerMinute: 0.1 }, 125],
    ['any stream whose snapshot is 4 hours old', { msSinceSnapshot: 4 * 3_600_000 }, 17],
  ])('README table: %s', (_label, metrics, expected) => {
    expect(adaptiveThreshold(context(metrics))).toBe(expected);
  });
});
