import { randomUUID } from 'node:crypto';
import { type NewEvent, StoreUnavailableError, ValidationError } from '@strata/core';
import { beforeAll, expect, it } from 'vitest';
import { tableNames } from '../src/postgres-table-names.js';
import { describePostgres, storeInFreshSchema } from './support/postgres-test-env.js';

const REFUSED_TYPE = 'refused.by.check';

describePostgres('an append the server refuses fails alone; the appends grouped with it commit', () => {
  const env = storeInFreshSchema();

  beforeAll(async () => {
    // A refusal only the server knows of, like any constraint a user adds to the table.
    await env.admin.query(
      `ALTER TABLE ${tableNames(env.schema).events} ADD CONSTRAINT refuses_marked CHECK (event_type <> '${REFUSED_TYPE}')`,
    );
  });

  /** Sends `offender` in the same group as seven innocent appends; returns how each ended. */
  async function groupWith(offender: NewEvent) {
    const { store } = env;
    // The queue sends a lone append at once; what comes while it is in flight forms one group.
    const lead = store.append(`lead-${randomUUID()}`, [{ type: 'ok', data: 0 }]);
    const innocentStreams = Array.from({ length: 7 }, () => `innocent-${randomUUID()}`);
    const offenderStream = `offender-${randomUUID()}`;
    const innocents = innocentStreams.map((streamId, i) =>
      store.append(streamId, [{ type: 'ok', data: i }], { expectedVersion: 'no_stream' }),
    );
    const refused = store.append(offenderStream, [{ type: 'ok', data: 'before' }, offender]).then(
      () => undefined,
      (error: unknown) => error,
    );
    await lead;
    const settled = await Promise.allSettled(innocents);
    return { settled, error: await refused, innocentStreams, offenderStream };
  }

  async function expectOnlyOffenderFailed(offender: NewEvent) {
    const { settled, error, innocentStreams, offenderStream } = await groupWith(offender);
    expect(settled.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(
      innocentStreams.map(() => 'ok'),
    );
    for (const streamId of innocentStreams) expect(await env.store.streamVersion(streamId)).toBe(1);
    expect(ValidationError.isInstance(error), String(error)).toBe(true);
    expect(StoreUnavailableError.isInstance(error)).toBe(false);
    expect(await env.store.readStream(offenderStream)).toEqual([]);
  }

  it('a schemaVersion of 2^31 (the column is integer)', async () => {
    await expectOnlyOffenderFailed({ type: 'ok', data: 1, schemaVersion: 2 ** 31 });
  });

  it('an event a CHECK constraint refuses', async () => {
    await expectOnlyOffenderFailed({ type: REFUSED_TYPE, data: 1 });
  });

  it('an event a CHECK constraint refuses, sent alone: ValidationError with the server error as cause', async () => {
    const error = await env.store
      .append(`alone-${randomUUID()}`, [{ type: REFUSED_TYPE, data: 1 }])
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error), String(error)).toBe(true);
    expect((error as ValidationError).path).toBe('events');
    expect((error as Error).cause).toMatchObject({ code: '23514' });
  });
});
