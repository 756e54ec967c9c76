import { CheckpointConflictError, type RecordedEvent } from '@strata/core';
import * as projections from '@strata/projections';
import { projectionExactlyOnceScenarios } from '@strata/vitest-preset/projection-exactly-once';
import type pg from 'pg';
import { afterEach } from 'vitest';
import type { PostgresClient, PostgresEventStore } from '../src/index.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  randomSchema,
} from './support/postgres-test-env.js';

describePostgres('projections on PostgreSQL: exactly-once runners and realtime in the append', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /**
   * A schema of its own with two store instances (two pools, as two processes would have), and a
   * read model beside the events: totals per stream, and one row per application of an event.
   */
  async function setup() {
    const schema = randomSchema();
    const admin: pg.Pool = adminPool();
    const store: PostgresEventStore = await openStore(schema);
    const peer: PostgresEventStore = await openStore(schema, { migrate: false });
    cleanups.push(async () => {
      await store.close();
      await peer.close();
      await dropSchema(admin, schema);
      await admin.end();
    });
    const totalsTable = `"${schema}".totals`;
    const appliedTable = `"${schema}".applied`;
    await admin.query(`CREATE TABLE ${totalsTable} (stream_id text PRIMARY KEY, total bigint NOT NULL)`);
    await admin.query(`CREATE TABLE ${appliedTable} (event_id text NOT NULL)`);
    const readModel = async () => {
      const { rows } = await admin.query(`SELECT stream_id, total::int AS total FROM ${totalsTable}`);
      const doubles = await admin.query(
        `SELECT (count(*) - count(DISTINCT event_id))::int AS n FROM ${appliedTable}`,
      );
      return {
        totals: new Map(rows.map((row: { stream_id: string; total: number }) => [row.stream_id, row.total])),
        doubles: doubles.rows[0].n as number,
      };
    };
    const apply = async (tx: PostgresClient, event: RecordedEvent, by: number) => {
      await tx.query(
        `INSERT INTO ${totalsTable} (stream_id, total) VALUES ($1, $2)
         ON CONFLICT (stream_id) DO UPDATE SET total = ${totalsTable}.total + excluded.total`,
        [event.streamId, by],
      );
      await tx.query(`INSERT INTO ${appliedTable} (event_id) VALUES ($1)`, [event.id]);
    };
    return { store, peer, readModel, apply };
  }

  const scenarios = projectionExactlyOnceScenarios({ CheckpointConflictError, projections, setup });
  scenarios.asyncHandlers();
  scenarios.runnerRace({ events: 40, batchSize: 4, pauseMs: 1 });
  scenarios.behindAfterAWriterWithoutIt();
  scenarios.runnerRereadingRealtime();
});
