import { randomUUID } from 'node:crypto';
import { type NewEvent, StoreUnavailableError, ValidationError } from '@strata/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MysqlEventStore } from '../src/index.js';
import { tableNames } from '../src/mysql-table-names.js';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();
const REFUSED_TYPE = 'refused.by.check';

describe.skipIf(!reachable)(
  'an append the server refuses fails alone; the appends grouped with it commit',
  () => {
    const tables = useTestTables();
    let maxAllowedPacket = 0;

    beforeAll(async () => {
      const raw = await tables.raw();
      const [rows] = await raw.query('SELECT @@max_allowed_packet AS packet');
      maxAllowedPacket = Number((rows as { packet: unknown }[])[0]?.packet);
      // A refusal only the server knows of, like any constraint a user adds to the table.
      await raw.query(
        `ALTER TABLE ${tableNames(tables.prefix).events} ADD CONSTRAINT refuses_marked CHECK (event_type <> '${REFUSED_TYPE}')`,
      );
      raw.destroy();
    });

    /** Sends `offender` while seven innocent appends queue with it; returns how each ended. */
    async function groupWith(store: MysqlEventStore, offender: NewEvent) {
      await store.append(`warm-${randomUUID()}`, [{ type: 'ok', data: 0 }]);
      // Two groups may be in flight: these take them, and what comes meanwhile queues as one group.
      const leads = [1, 2].map((i) => store.append(`lead-${randomUUID()}`, [{ type: 'ok', data: i }]));
      const innocentStreams = Array.from({ length: 7 }, () => `innocent-${randomUUID()}`);
      const offenderStream = `offender-${randomUUID()}`;
      const innocents = innocentStreams.map((streamId, i) =>
        store.append(streamId, [{ type: 'ok', data: i }], { expectedVersion: 'no_stream' }),
      );
      const refused = store.append(offenderStream, [{ type: 'ok', data: 'before' }, offender]).then(
        () => undefined,
        (error: unknown) => error,
      );
      await Promise.all(leads);
      const settled = await Promise.allSettled(innocents);
      return { settled, error: await refused, innocentStreams, offenderStream };
    }

    async function expectOnlyOffenderFailed(offender: NewEvent): Promise<ValidationError> {
      const store = tables.open();
      const { settled, error, innocentStreams, offenderStream } = await groupWith(store, offender);
      expect(settled.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(
        innocentStreams.map(() => 'ok'),
      );
      for (const streamId of innocentStreams) expect(await store.streamVersion(streamId)).toBe(1);
      expect(ValidationError.isInstance(error), String(error)).toBe(true);
      expect(StoreUnavailableError.isInstance(error)).toBe(false);
      expect(await store.readStream(offenderStream)).toEqual([]);
      return error as ValidationError;
    }

    it("an event just over the server's max_allowed_packet", async () => {
      const error = await expectOnlyOffenderFailed({ type: 'ok', data: 'x'.repeat(maxAllowedPacket + 1) });
      expect(error.path).toBe('events[1].data');
    });

    it('an event a CHECK constraint refuses', async () => {
      await expectOnlyOffenderFailed({ type: REFUSED_TYPE, data: 1 });
    });

    it('an event a CHECK constraint refuses, sent alone: ValidationError with the server error as cause', async () => {
      const store = tables.open();
      for (const events of [
        [{ type: REFUSED_TYPE, data: 1 }],
        [
          { type: 'ok', data: 1 },
          { type: REFUSED_TYPE, data: 2 },
        ],
      ]) {
        const streamId = `alone-${randomUUID()}`;
        const error = await store.append(streamId, events).catch((e: unknown) => e);
        expect(ValidationError.isInstance(error), String(error)).toBe(true);
        expect((error as ValidationError).path).toBe('events');
        expect((error as Error).cause).toMatchObject({ errno: expect.any(Number) });
        expect(await store.streamVersion(streamId)).toBe(0);
      }
    });
  },
);
