import { randomUUID } from 'node:crypto';
import { DuplicateEventError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

for (const partitions of [undefined, 3]) {
  describe.skipIf(!reachable)(
    `ids and names are binary, NO PAD (partitions: ${partitions ?? 'none'})`,
    () => {
      const tables = useTestTables(partitions === undefined ? {} : { partitions });

      it("'A', 'a', 'a ' and 'a  ' are four streams; types match exactly", async () => {
        const store = tables.open();
        const base = `id-${randomUUID()}`;
        const ids = [`${base}A`, `${base}a`, `${base}a `, `${base}a  `, `${base}\u00e4`, `${base}a\u0308`];
        const type = `Type.${randomUUID()}`;
        const after = (await store.append(`marker-${randomUUID()}`, [{ type: 'marker', data: null }]))
          .lastPosition;
        for (const [i, streamId] of ids.entries()) {
          await store.append(streamId, [{ type: i % 2 === 0 ? type : `${type} `, data: i }], {
            expectedVersion: 'no_stream',
          });
        }
        for (const [i, streamId] of ids.entries()) {
          expect((await store.readStream(streamId)).map((e) => [e.streamId, e.data])).toEqual([
            [streamId, i],
          ]);
        }
        const all = await store.readStreams(ids);
        expect([...all.values()].map((events) => events.length)).toEqual(ids.map(() => 1));
        expect((await store.readAll({ after, types: [type] })).map((e) => e.data)).toEqual([0, 2, 4]);
        expect((await store.readAll({ after, types: [type.toLowerCase()] })).length).toBe(0);
      });

      it('event ids differing only by case or a trailing space are different ids, not duplicates', async () => {
        const store = tables.open();
        const id = `Evt-${randomUUID()}`;
        const streamId = `ids-${randomUUID()}`;
        await store.append(streamId, [
          { id, type: 't', data: 1 },
          { id: id.toLowerCase(), type: 't', data: 2 },
          { id: `${id} `, type: 't', data: 3 },
        ]);
        expect((await store.readStream(streamId)).map((e) => e.id)).toEqual([id, id.toLowerCase(), `${id} `]);
        await expect(store.append(`other-${randomUUID()}`, [{ id, type: 't', data: 4 }])).rejects.toThrow(
          DuplicateEventError,
        );
      });
    },
  );
}
