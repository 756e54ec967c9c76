import type { DomainEvent, RecordedEvent } from '@strata/core';
import { attachRealtimeProjector, defineProjector } from '@strata/projections';
import { describeFoldedCheckpointAdvance } from '@strata/vitest-preset/folded-checkpoint-advance';
import { createPool, type Pool, type PoolConnection } from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { createMysqlEventStore, type MysqlEventStore, type MysqlQueryable, migrate } from '../src/index.js';
import { dropTables, MYSQL_URL, mysqlReachable, randomPrefix } from './mysql-test-server.js';

const reachable = await mysqlReachable();

// Without the type index (the default) and with it: the checkpoint lookups take other paths.
for (const typeIndex of [false, true]) {
  const mode = typeIndex ? ' (typeIndex: true)' : '';

  describe.skipIf(!reachable)(`advanceCheckpoint folded into the append procedures on MariaDB${mode}`, () => {
    describeFoldedCheckpointAdvance(async () => {
      const prefix = randomPrefix();
      const store = createMysqlEventStore({
        connection: MYSQL_URL,
        tablePrefix: prefix,
        poolSize: 2,
        typeIndex,
      });
      await store.migrate();
      return {
        store,
        close: async () => {
          await store.close();
          await dropTables(prefix);
        },
      };
    });
  });

  describe.skipIf(!reachable)(
    `a realtime projector on MariaDB: its bookkeeping in the append call${mode}`,
    () => {
      const cleanups: Array<() => Promise<void>> = [];
      afterEach(async () => {
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      });

      /**
       * A prefix with the store on a pool whose checked-out connections log every statement (appends
       * run there), a peer store without the projector (another process), and a read model: one row
       * per applied event.
       */
      async function setup(options: { prefix?: string; migrate?: boolean } = {}) {
        const prefix = options.prefix ?? randomPrefix();
        const statements: string[] = [];
        const pool = loggingPool(statements);
        const store: MysqlEventStore = createMysqlEventStore({
          connection: pool,
          tablePrefix: prefix,
          typeIndex,
          ...(options.migrate === false ? { migrate: false } : {}),
        });
        if (options.migrate !== false) await store.migrate();
        const peer = createMysqlEventStore({
          connection: MYSQL_URL,
          tablePrefix: prefix,
          migrate: false,
          typeIndex,
        });
        const admin = createPool({ uri: MYSQL_URL, connectionLimit: 2 });
        const applied = `\`${prefix}applied\``;
        cleanups.push(async () => {
          await store.close();
          await peer.close();
          await pool.end();
          await admin.query(`DROP TABLE IF EXISTS ${applied}`);
          await admin.end();
          await dropTables(prefix);
        });
        await admin.query(
          `CREATE TABLE IF NOT EXISTS ${applied} (event_id VARCHAR(64) NOT NULL, position BIGINT NOT NULL)`,
        );
        const projector = defineProjector<DomainEvent, MysqlQueryable>({
          name: 'applied',
          handlers: {
            counted: async (_data: unknown, event: RecordedEvent, tx: MysqlQueryable) => {
              await tx.execute({ sql: `INSERT INTO ${applied} (event_id, position) VALUES (?, ?)` }, [
                event.id,
                event.position.toString(),
              ]);
            },
          },
        });
        const appliedPositions = async () => {
          const [rows] = await admin.query(`SELECT position FROM ${applied} ORDER BY position`);
          return (rows as { position: number | string }[]).map((row) => BigInt(row.position));
        };
        return { prefix, admin, store, peer, projector, statements, appliedPositions };
      }

      const counted = (n: number) => ({ type: 'counted', data: { n } });

      it('an append with a realtime projector is the advancing CALL, its row and COMMIT: no statement of its own', async () => {
        const { store, projector, statements, appliedPositions } = await setup();
        const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
        await store.append('a', [counted(1)], { expectedVersion: 'no_stream' }); // creates the checkpoint
        statements.length = 0;
        await store.append('a', [counted(2)], { expectedVersion: 1 });
        const { events } = await store.append('a', [counted(3), { type: 'other', data: {} }], {
          expectedVersion: 2,
        });
        expect(statements.map(shape).filter(notSession)).toEqual([
          'CALL append_single_advancing',
          'INSERT applied',
          'COMMIT',
          'CALL append_batch_advancing',
          'INSERT applied',
          'COMMIT',
        ]);
        expect(realtime.status().state).toBe('live');
        expect(await store.checkpoints.loadCheckpoint('applied')).toBe(events![0]!.position);
        expect(await appliedPositions()).toEqual([1n, 2n, 3n]);
      });

      it('is behind, not skipping, when another process commits an event while the append waits for the sequence row', async () => {
        const { store, peer, projector, admin, prefix, appliedPositions } = await setup();
        const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
        await store.append('a', [counted(1)], { expectedVersion: 'no_stream' }); // 1, checkpoint 1
        // The peer holds the sequence row (its append is in its hook) until the gate opens.
        let open!: () => void;
        const gate = new Promise<void>((resolve) => {
          open = resolve;
        });
        let holding!: () => void;
        const held = new Promise<void>((resolve) => {
          holding = resolve;
        });
        peer.onAppend(async () => {
          holding();
          await gate;
        });
        const peerAppend = peer.append('b', [counted(2)], { expectedVersion: 'no_stream' }); // 2
        await held;
        const waiting = store.append('a', [counted(3)], { expectedVersion: 1 }); // 3
        await until(async () => {
          // Its procedure is waiting for the sequence row (the processlist shows the statement inside it).
          const [rows] = await admin.query(
            `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
            WHERE COMMAND <> 'Sleep' AND INFO LIKE '%\`${prefix}sequence\`%'`,
          );
          return Number((rows as { n: number }[])[0]!.n) > 0;
        });
        open();
        await peerAppend;
        await waiting;
        expect(realtime.status().state).toBe('behind');
        expect(await store.checkpoints.loadCheckpoint('applied')).toBe(1n);
        expect(await appliedPositions()).toEqual([1n]);
      });

      it('a group of several appends keeps the hook path: one statement of its own per append, still correct', async () => {
        const { store, projector, appliedPositions } = await setup();
        const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
        await store.checkpoints.saveCheckpoint('applied', 0n);
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.append(`s-${i}`, [counted(i)], { expectedVersion: 'no_stream' }),
          ),
        );
        const last = results.map((result) => result.lastPosition).sort((a, b) => (a < b ? -1 : 1));
        expect(realtime.status().state).toBe('live');
        expect(await store.checkpoints.loadCheckpoint('applied')).toBe(last.at(-1));
        expect(await appliedPositions()).toEqual(Array.from({ length: 8 }, (_, i) => BigInt(i + 1)));
      });

      it('rolls the move and the rows back when the handler throws, and the append rejects', async () => {
        const { store, statements, appliedPositions } = await setup();
        const failing = defineProjector<DomainEvent, MysqlQueryable>({
          name: 'applied',
          handlers: {
            counted: () => {
              throw new Error('refused by the read model');
            },
          },
        });
        attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector: failing });
        await store.checkpoints.saveCheckpoint('applied', 0n);
        statements.length = 0;
        await expect(store.append('a', [counted(1)], { expectedVersion: 'no_stream' })).rejects.toThrow(
          'refused by the read model',
        );
        expect(statements.map(shape).filter(notSession)).toEqual([
          'CALL append_single_advancing',
          'ROLLBACK',
        ]);
        expect(await store.checkpoints.loadCheckpoint('applied')).toBe(0n);
        expect(await store.streamVersion('a')).toBe(0);
        expect(await appliedPositions()).toEqual([]);
      });

      it('migration 10 from the data-keys layout: the old procedures stay, the hook path until it runs, folded after', async () => {
        const prefix = randomPrefix();
        const old = createMysqlEventStore({ connection: MYSQL_URL, tablePrefix: prefix });
        await old.migrate();
        await old.append('a', [counted(1)], { expectedVersion: 'no_stream' });
        await old.checkpoints.saveCheckpoint('applied', 1n);
        await old.pool.query({ sql: `DROP PROCEDURE \`${prefix}append_single_advancing\`` });
        await old.pool.query({ sql: `DROP PROCEDURE \`${prefix}append_batch_advancing\`` });
        await old.pool.query({ sql: `DELETE FROM \`${prefix}migrations\` WHERE version >= 10` });
        await old.close();

        const before = await setup({ prefix, migrate: false });
        const realtime = attachRealtimeProjector({
          store: before.store,
          checkpoints: before.store.checkpoints,
          projector: before.projector,
        });
        before.statements.length = 0;
        await before.store.append('a', [counted(2)], { expectedVersion: 1 });
        expect(before.statements.map(shape).filter(notSession)).toEqual([
          'CALL append_single',
          'UPDATE checkpoints',
          'INSERT applied',
          'COMMIT',
        ]);
        expect(realtime.status().state).toBe('live');

        expect((await migrate(before.admin, { tablePrefix: prefix })).applied).toEqual([10, 11]);
        // A process of the previous version: append_single, unchanged.
        await before.peer.append('legacy', [{ type: 'other', data: {} }], { expectedVersion: 'no_stream' });
        expect(await before.peer.streamVersion('legacy')).toBe(1);

        realtime.detach();
        const after = createMysqlEventStore({
          connection: loggingPool(before.statements),
          tablePrefix: prefix,
          migrate: false,
          typeIndex,
        });
        cleanups.push(async () => {
          await after.close();
          await after.pool.end();
        });
        const folded = attachRealtimeProjector({
          store: after,
          checkpoints: after.checkpoints,
          projector: before.projector,
        });
        before.statements.length = 0;
        await after.append('a', [counted(4)], { expectedVersion: 2 }); // 4 (3 is the legacy event)
        expect(before.statements.map(shape).filter(notSession)).toEqual([
          'CALL append_single_advancing',
          'INSERT applied',
          'COMMIT',
        ]);
        expect(folded.status().state).toBe('live');
        expect(await after.checkpoints.loadCheckpoint('applied')).toBe(4n);
        expect(await before.appliedPositions()).toEqual([2n, 4n]);
      });
    },
  );
}

/** A pool whose checked-out connections record each statement's text in `log`. */
function loggingPool(log: string[]): Pool {
  const pool = createPool({ uri: MYSQL_URL, connectionLimit: 4 });
  const getConnection = pool.getConnection.bind(pool);
  const logged = new WeakSet<PoolConnection>();
  pool.getConnection = async () => {
    const connection = await getConnection();
    if (!logged.has(connection)) {
      logged.add(connection);
      for (const method of ['query', 'execute'] as const) {
        const original = (connection[method] as (...args: unknown[]) => unknown).bind(connection);
        (connection as unknown as Record<string, unknown>)[method] = (
          options: unknown,
          ...rest: unknown[]
        ) => {
          log.push(typeof options === 'string' ? options : (options as { sql: string }).sql);
          return original(options, ...rest);
        };
      }
    }
    return connection;
  };
  return pool;
}

/** Once per store or per writer connection, not per append: its layout read, its type index, autocommit's setting. */
function notSession(statement: string): boolean {
  return (
    !statement.startsWith('SET autocommit') &&
    !statement.includes('information_schema') &&
    !statement.startsWith('CREATE INDEX')
  );
}

/** A statement's gist: its keyword and the procedure or table it names, without the prefix. */
function shape(sql: string): string {
  const text = sql.trim();
  if (/^(COMMIT|ROLLBACK)$/.test(text) || text.startsWith('SET autocommit')) return text;
  const call = /^CALL `t_[0-9a-f]+_(\w+)`/.exec(text);
  if (call !== null) return `CALL ${call[1]}`;
  const write = /^(INSERT INTO|UPDATE) `t_[0-9a-f]+_(\w+)`/.exec(text);
  if (write !== null) return `${write[1]!.split(' ')[0]} ${write[2]}`;
  return text.slice(0, 60);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out waiting for the condition');
}
