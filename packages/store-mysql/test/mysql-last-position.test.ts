import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MysqlReadSql } from '../src/mysql-read-sql.js';
import { tableNames } from '../src/mysql-table-names.js';
import { appendWithoutCommit } from './mysql-held-append.js';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

const event = (type: string) => ({ type, data: {} });

for (const partitions of [undefined, 4]) {
  const layout = partitions === undefined ? 'plain table' : `${partitions} KEY partitions`;
  describe.skipIf(!reachable)(`lastPosition() (${layout})`, () => {
    const tables = useTestTables(partitions === undefined ? {} : { partitions });

    it('is 0n before the first append, then the last appended position', async () => {
      const store = tables.open();
      expect(await store.lastPosition()).toBe(0n);
      await store.append(`a-${randomUUID()}`, [event('x'), event('y')]);
      const { lastPosition } = await store.append(`b-${randomUUID()}`, [event('x')]);
      expect(await store.lastPosition()).toBe(lastPosition);
    });

    it('is answered from the primary key alone: the optimizer reads its right edge, no rows', async () => {
      const store = tables.open();
      for (let i = 0; i < 10; i++) {
        await store.append(
          `bulk-${randomUUID()}`,
          Array.from({ length: 50 }, () => event(`t${i % 3}`)),
        );
      }
      const raw = await tables.raw();
      const [plan] = await raw.query(`EXPLAIN ${new MysqlReadSql(tableNames(tables.prefix)).lastPosition()}`);
      expect(plan).toEqual([expect.objectContaining({ Extra: 'Select tables optimized away' })]);
    });
  });
}

describe.skipIf(!reachable)('lastPosition() with an append held open by another connection', () => {
  const tables = useTestTables();

  for (const ending of ['COMMIT', 'ROLLBACK'] as const) {
    it(`leaves out the open append's position until it commits (${ending})`, async () => {
      const store = tables.open();
      const before = (await store.append(`mark-${randomUUID()}`, [event('mark')])).lastPosition;
      const raw = await tables.raw();
      const held = await appendWithoutCommit(raw, tables.prefix, `held-${randomUUID()}`, 'raw.held');
      expect(held).toBe(before + 1n);
      // The open append holds position before + 1: reporting it would let that event commit at it.
      expect(await store.lastPosition()).toBe(before);
      await raw.query(ending);
      expect(await store.lastPosition()).toBe(ending === 'COMMIT' ? held : before);
      // A rolled-back position is handed out again, above the value reported.
      const { lastPosition } = await store.append(`after-${randomUUID()}`, [event('after')]);
      expect(lastPosition).toBe(held + (ending === 'COMMIT' ? 1n : 0n));
      expect(await store.lastPosition()).toBe(lastPosition);
    });
  }
});
