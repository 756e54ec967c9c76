import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresEventStore } from '../src/index.js';
import { readStatements } from '../src/postgres-read-statements.js';
import { tableNames } from '../src/postgres-table-names.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  insertEventHeldOpen,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

const event = (type: string) => ({ type, data: {} });

/**
 * `lastPosition()` against what a reader can see: an event whose transaction is still open holds a
 * position the sequence has handed out already, and must not count until it commits.
 */
for (const partitions of [undefined, 3]) {
  const layout = partitions === undefined ? 'one events table' : `${partitions} hash partitions`;
  describePostgres(`lastPosition() (${layout})`, () => {
    const schema = randomSchema();
    let admin: pg.Pool;
    let store: PostgresEventStore;

    beforeAll(async () => {
      admin = adminPool();
      store = await openStore(schema, { partitions });
    });

    afterAll(async () => {
      await store?.close();
      await dropSchema(admin, schema);
      await admin.end();
    });

    const insertHeldOpen = () => insertEventHeldOpen(admin, schema, `held-${randomUUID()}`, { partitions });

    it('is 0n before the first append, then the last appended position', async () => {
      expect(await store.lastPosition()).toBe(0n);
      await store.append(`a-${randomUUID()}`, [event('x'), event('y')]);
      const { lastPosition } = await store.append(`b-${randomUUID()}`, [event('x')]);
      expect(await store.lastPosition()).toBe(lastPosition);
    });

    it('leaves out a position taken by a transaction still open, and counts it once committed', async () => {
      const before = await store.lastPosition();
      const { raw, position } = await insertHeldOpen();
      try {
        const sequence = await admin.query(`SELECT last_value FROM "${schema}".strata_position_seq`);
        // The sequence has moved past `before`: reporting it would let that event commit below.
        expect(BigInt(sequence.rows[0].last_value)).toBe(position);
        expect(position).toBeGreaterThan(before);
        expect(await store.lastPosition()).toBe(before);
        await raw.query('COMMIT');
      } finally {
        raw.release();
      }
      expect(await store.lastPosition()).toBe(position);
    });

    it('stays where it was when the open transaction rolls back', async () => {
      const before = await store.lastPosition();
      const { raw } = await insertHeldOpen();
      try {
        await raw.query('ROLLBACK');
      } finally {
        raw.release();
      }
      expect(await store.lastPosition()).toBe(before);
      const { lastPosition } = await store.append(`c-${randomUUID()}`, [event('x')]);
      expect(await store.lastPosition()).toBe(lastPosition);
    });

    it('is one backward step on the position index of each table, never a scan', async () => {
      for (let i = 0; i < 20; i++) {
        await store.append(
          `bulk-${randomUUID()}`,
          Array.from({ length: 100 }, () => event(`t${i % 5}`)),
        );
      }
      await admin.query(`ANALYZE "${schema}".strata_events`);
      const { text } = readStatements(tableNames(schema)).lastPosition.query([]);
      const { rows } = await admin.query(`EXPLAIN (COSTS OFF) ${text}`);
      const plan = rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
      // "Sort Key" of a Merge Append is fine; a Sort node is not.
      expect(plan).not.toMatch(/Seq Scan|Bitmap|(^|->\s+)Sort\b/m);
      const steps = plan.match(/Index Only Scan Backward|Index Scan Backward/g) ?? [];
      expect(steps, plan).toHaveLength(partitions ?? 1);
      expect(plan).toMatch(/Limit/);
    });
  });
}
