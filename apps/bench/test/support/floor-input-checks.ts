import { ValidationError } from '@strata/core';
import { expect } from 'vitest';
import { benchEvent } from '../../src/workloads/bench-events.js';
import type { TypedFloor } from './floor-stream-type.js';

/** A UUID version 7, as core's `prepareAppend` makes for events without an id. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The contract's input checks, kept by a floor as by every adapter: input the contract refuses
 * fails with `ValidationError` before anything is written, though a store without the checks would
 * have stored it (`JSON.stringify` writes NaN as null); events without an id get UUID v7 ids; and
 * the caller's ids, schema version and time of occurrence are what the floor stores.
 */
export async function expectInputCheckedFirst(floor: TypedFloor): Promise<void> {
  const refused = [
    [benchEvent(0), { type: 'priced', data: { amount: Number.NaN } }],
    [{ type: '', data: {} }],
    [{ ...benchEvent(1), schemaVersion: 0 }],
  ];
  for (const events of refused) {
    const error = await floor.append('checked', events, 0).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error), String(error)).toBe(true);
  }
  expect(await floor.readStreamEvents('checked')).toEqual([]);

  const occurredAt = new Date('2026-01-02T03:04:05.006Z');
  await floor.append(
    'checked',
    [benchEvent(2), { ...benchEvent(3), id: 'caller-id', schemaVersion: 2, occurredAt }],
    0,
  );
  const [generated, given] = await floor.readStreamEvents('checked');
  expect(generated?.id).toMatch(UUID_V7);
  expect(given).toMatchObject({ id: 'caller-id', schemaVersion: 2, occurredAt, version: 2 });
}
