import { CheckpointConflictError, type RecordedEvent } from '@strata/core';
import * as projections from '@strata/projections';
import { projectionExactlyOnceScenarios } from '@strata/vitest-preset/projection-exactly-once';
import { createConnection } from 'mysql2/promise';
import { afterEach, describe } from 'vitest';
import { createMysqlEventStore, type MysqlEventStore, type MysqlQueryable } from '../src/index.js';
import { dropTables, MYSQL_URL, mysqlReachable, randomPrefix } from './mysql-test-server.js';

const reachable = await mysqlReachable();

// Runners read by type, realtime projectors look up preceding positions: without the type index
// (the default) and with it.
for (const typeIndex of [false, true]) {
  const mode = typeIndex ? ' (typeIndex: true)' : '';

  describe.skipIf(!reachable)(
    `projections on MySQL/MariaDB: exactly-once runners and realtime in the append${mode}`,
    () => {
      const cleanups: Array<() => Promise<void>> = [];
      afterEach(async () => {
        for (const cleanup of cleanups.splice(0)) await cleanup();
      });

      /**
       * Tables of their own with two store instances (two pools, as two processes would have), and a
       * read model beside the events: totals per stream, and one row per application of an event.
       */
      async function setup() {
        const prefix = randomPrefix();
        const open = () =>
          createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix, poolSize: 4, typeIndex });
        const store: MysqlEventStore = open();
        await store.migrate();
        const peer: MysqlEventStore = open();
        const admin = await createConnection({ uri: MYSQL_URL });
        const totals = `\`${prefix}totals\``;
        const applied = `\`${prefix}applied\``;
        cleanups.push(async () => {
          await store.close();
          await peer.close();
          await admin.query(`DROP TABLE IF EXISTS ${totals}, ${applied}`);
          await admin.end();
          await dropTables(prefix);
        });
        await admin.query(
          `CREATE TABLE ${totals} (stream_id VARCHAR(100) PRIMARY KEY, total BIGINT NOT NULL)`,
        );
        await admin.query(`CREATE TABLE ${applied} (event_id VARCHAR(100) NOT NULL)`);
        const readModel = async () => {
          const [rows] = await admin.query(`SELECT stream_id, CAST(total AS SIGNED) AS total FROM ${totals}`);
          const [[doubles]] = (await admin.query(
            `SELECT CAST(count(*) - count(DISTINCT event_id) AS SIGNED) AS n FROM ${applied}`,
          )) as unknown as [[{ n: number }]];
          return {
            totals: new Map(
              (rows as { stream_id: string; total: number }[]).map((row) => [
                row.stream_id,
                Number(row.total),
              ]),
            ),
            doubles: Number(doubles.n),
          };
        };
        const apply = async (tx: MysqlQueryable, event: RecordedEvent, by: number) => {
          await tx.execute(
            {
              sql: `INSERT INTO ${totals} (stream_id, total) VALUES (?, ?)
                  ON DUPLICATE KEY UPDATE total = total + VALUES(total)`,
            },
            [event.streamId, by],
          );
          await tx.execute({ sql: `INSERT INTO ${applied} (event_id) VALUES (?)` }, [event.id]);
        };
        return { store, peer, readModel, apply };
      }

      const scenarios = projectionExactlyOnceScenarios({ CheckpointConflictError, projections, setup });
      scenarios.asyncHandlers();
      scenarios.runnerRace({ events: 40, batchSize: 4, pauseMs: 1 });
      scenarios.behindAfterAWriterWithoutIt();
    },
  );
}
