import { describe, expect, it, vi } from 'vitest';
import { withRecordedEvents } from '../src/append-result.js';
import type { AppendResult, RecordedEvent } from '../src/event.js';

const fields = (): AppendResult => ({ streamId: 's', firstVersion: 1, lastVersion: 1, lastPosition: 7n });

const recorded: RecordedEvent = {
  id: 'e-1',
  streamId: 's',
  streamType: 'default',
  type: 't',
  data: { n: 1 },
  metadata: {},
  schemaVersion: 1,
  version: 1,
  position: 7n,
  occurredAt: new Date(0),
  recordedAt: new Date(1),
};

describe('withRecordedEvents', () => {
  it('builds the events only when they are first read', () => {
    const build = vi.fn(() => [recorded]);
    const result = withRecordedEvents(fields(), build);
    expect(build).not.toHaveBeenCalled();
    expect(result.events).toEqual([recorded]);
    expect(build).toHaveBeenCalledOnce();
  });

  it('builds them once: every read returns the same array', () => {
    const build = vi.fn(() => [recorded]);
    const result = withRecordedEvents(fields(), build);
    const first = result.events;
    expect(result.events).toBe(first);
    expect(build).toHaveBeenCalledOnce();
  });

  it('hides them from enumeration, so the result equals one without events', () => {
    const result = withRecordedEvents(fields(), () => [recorded]);
    expect(Object.keys(result)).toEqual(['streamId', 'firstVersion', 'lastVersion', 'lastPosition']);
    expect(Object.prototype.propertyIsEnumerable.call(result, 'events')).toBe(false);
    expect(result).toEqual(fields());
    expect({ ...result }).toEqual(fields());
    void result.events;
    expect(Object.keys(result)).not.toContain('events');
    expect(result).toEqual(fields());
  });

  it('keeps the four fields, and lets a wrapper replace the events without building them', () => {
    const build = vi.fn(() => [recorded]);
    const result = withRecordedEvents(fields(), build);
    expect(result).toMatchObject(fields());
    const replaced = [{ ...recorded, data: { n: 2 } }];
    result.events = replaced;
    expect(result.events).toBe(replaced);
    expect(build).not.toHaveBeenCalled();
  });
});
