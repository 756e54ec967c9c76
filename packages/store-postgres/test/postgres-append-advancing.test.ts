import type { DomainEvent, RecordedEvent } from '@strata/core';
import { attachRealtimeProjector, defineProjector } from '@strata/projections';
import { describeFoldedCheckpointAdvance } from '@strata/vitest-preset/folded-checkpoint-advance';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresEventStore, type PostgresClient, type PostgresEventStore } from '../src/index.js';
import {
  adminPool,
  describePostgres,
  dropSchema,
  openStore,
  PG_URL,
  randomSchema,
} from './support/postgres-test-env.js';

// Every scenario with and without the type index: the function's lookup takes another path in each.
for (const typeIndex of [false, true]) {
  describePostgres(
    `advanceCheckpoint folded into the append function on PostgreSQL (typeIndex: ${typeIndex})`,
    () => {
      describeFoldedCheckpointAdvance(async () => {
        const schema = randomSchema();
        const store = await openStore(schema, { typeIndex });
        return {
          store,
          close: async () => {
            await store.close();
            const admin = adminPool();
            await dropSchema(admin, schema);
            await admin.end();
          },
        };
      });
    },
  );

  describePostgres(
    `a realtime projector on PostgreSQL: its bookkeeping in the append call (typeIndex: ${typeIndex})`,
    () => {
      const cleanups: Array<() => Promise<void>> = [];
      afterEach(async () => {
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      });

      /**
       * A schema with the store on a pool whose checked-out connections log every statement (the
       * append transactions run there), a peer store without the projector (another process), and a
       * read model: one row per applied event.
       */
      async function setup(options: { migrate?: boolean; schema?: string } = {}) {
        const schema = options.schema ?? randomSchema();
        const admin = adminPool();
        const statements: string[] = [];
        const pool = loggingPool(statements);
        const store: PostgresEventStore = await createPostgresEventStore({
          pool,
          schema,
          typeIndex,
          ...(options.migrate === false ? { migrate: false } : {}),
        });
        const peer: PostgresEventStore = await openStore(schema, { migrate: false, typeIndex });
        cleanups.push(async () => {
          await store.close();
          await peer.close();
          await pool.end();
          await dropSchema(admin, schema);
          await admin.end();
        });
        const applied = `"${schema}".applied`;
        await admin.query(
          `CREATE TABLE IF NOT EXISTS ${applied} (event_id text NOT NULL, position bigint NOT NULL)`,
        );
        const projector = defineProjector<DomainEvent, PostgresClient>({
          name: 'applied',
          handlers: {
            counted: async (_data: unknown, event: RecordedEvent, tx: PostgresClient) => {
              await tx.query(`INSERT INTO ${applied} (event_id, position) VALUES ($1, $2)`, [
                event.id,
                event.position.toString(),
              ]);
            },
          },
        });
        const appliedPositions = async () =>
          (await admin.query(`SELECT position FROM ${applied} ORDER BY position`)).rows.map((row) =>
            BigInt(row.position),
          );
        return { schema, admin, store, peer, projector, statements, appliedPositions };
      }

      const counted = (n: number) => ({ type: 'counted', data: { n } });

      it('an append with a realtime projector is BEGIN, the advancing call, its row and COMMIT: no statement of its own', async () => {
        const { store, projector, statements, appliedPositions } = await setup();
        const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
        await store.append('a', [counted(1)]); // creates the checkpoint through the fallback
        statements.length = 0;
        const { events } = await store.append('a', [counted(2), { type: 'other', data: {} }]);
        expect(statements.map(shape)).toEqual(['BEGIN', 'append_advancing', 'INSERT applied', 'COMMIT']);
        expect(realtime.status().state).toBe('live');
        expect(await store.checkpoints.loadCheckpoint('applied')).toBe(events![0]!.position);
        expect(await appliedPositions()).toEqual([1n, 2n]);
      });

      it('a group of appends moves the checkpoint append by append in the one call', async () => {
        const { store, projector, statements, appliedPositions } = await setup();
        attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
        await store.checkpoints.saveCheckpoint('applied', 0n);
        statements.length = 0;
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => store.append(`s-${i}`, [counted(i), counted(i)])),
        );
        const begins = statements.filter((text) => text.startsWith('BEGIN')).length;
        expect(begins).toBeLessThan(12); // grouped
        const kinds = new Set(statements.map(shape));
        expect(kinds).toEqual(new Set(['BEGIN', 'append_advancing', 'INSERT applied', 'COMMIT']));
        const last = results.map((result) => result.lastPosition).sort((a, b) => (a < b ? -1 : 1));
        expect(await store.checkpoints.loadCheckpoint('applied')).toBe(last.at(-1));
        expect(await appliedPositions()).toEqual(Array.from({ length: 24 }, (_, i) => BigInt(i + 1)));
      });

      it('is behind, not skipping, when another process commits an event while the append waits for the position lock', async () => {
        const { store, peer, projector, admin, appliedPositions } = await setup();
        const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
        await store.append('a', [counted(1)]); // 1, checkpoint 1
        // The peer holds the position lock (its append is in its hook) until the gate opens.
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
        const peerAppend = peer.append('b', [counted(2)]); // 2
        await held;
        const waiting = store.append('a', [counted(3)]); // 3: its call starts before 2 commits
        await until(async () => {
          const { rows } = await admin.query(
            "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
          );
          return rows[0].n > 0;
        });
        open();
        await peerAppend;
        await waiting;
        // The move ran after the lock: it saw event 2 and did not claim 3 past it.
        expect(realtime.status().state).toBe('behind');
        expect(await store.checkpoints.loadCheckpoint('applied')).toBe(1n);
        expect(await appliedPositions()).toEqual([1n]);
      });

      it('rolls the move and the rows back when the handler throws, and the append rejects', async () => {
        const { store, statements, appliedPositions } = await setup();
        const failing = defineProjector<DomainEvent, PostgresClient>({
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
        await expect(store.append('a', [counted(1)])).rejects.toThrow('refused by the read model');
        expect(statements.map(shape)).toEqual(['BEGIN', 'append_advancing', 'ROLLBACK']);
        expect(await store.checkpoints.loadCheckpoint('applied')).toBe(0n);
        expect(await store.streamVersion('a')).toBe(0);
        expect(await appliedPositions()).toEqual([]);
      });

      // The upgrade path is the same in both modes; once is enough (registered once, not skipped once).
      if (!typeIndex)
        describe('migration 7 from the data-keys layout', () => {
          it('keeps the old function for older processes, falls back before it runs, and folds after', async () => {
            const schema = randomSchema();
            const old = await openStore(schema);
            await old.append('a', [counted(1)]);
            await old.checkpoints.saveCheckpoint('applied', 1n);
            await old.close();
            const admin = adminPool();
            await admin.query(
              `DROP FUNCTION "${schema}".strata_append_advancing(text[], text[], bigint[], integer[], integer[], text[],
          text[], text[], text[], integer[], bigint[], bigint, text[], integer[], text[], integer[])`,
            );
            await admin.query(`DELETE FROM "${schema}".strata_migrations WHERE version >= 7`);
            await admin.end();

            const { store, projector, statements, appliedPositions } = await setup({
              schema,
              migrate: false,
            });
            const realtime = attachRealtimeProjector({ store, checkpoints: store.checkpoints, projector });
            await store.append('a', [counted(2)]); // the advancing function is missing: the hook's own path
            expect(realtime.status().state).toBe('live');
            expect(await store.checkpoints.loadCheckpoint('applied')).toBe(2n);

            expect(await store.migrate()).toEqual({ applied: [7, 8] });
            // A process of the previous version calls the append function, unchanged.
            const client = new pg.Client({ connectionString: PG_URL });
            await client.connect();
            try {
              await client.query(
                `SELECT * FROM "${schema}".strata_append(ARRAY['legacy'], ARRAY['legacy'], ARRAY[0]::bigint[],
            ARRAY[1], ARRAY[1], ARRAY['legacy-1'], ARRAY['other'], ARRAY['{}'], ARRAY['{}'], ARRAY[1], ARRAY[0]::bigint[], 0)`,
              );
            } finally {
              await client.end();
            }
            expect(await store.streamVersion('legacy')).toBe(1);

            // The store that fell back finds the function again only when reopened; a new one folds.
            const freshPool = loggingPool(statements);
            const fresh = await createPostgresEventStore({ pool: freshPool, schema, migrate: false });
            cleanups.push(async () => {
              await fresh.close();
              await freshPool.end();
            });
            realtime.detach();
            const folded = attachRealtimeProjector({
              store: fresh,
              checkpoints: fresh.checkpoints,
              projector,
            });
            statements.length = 0;
            await fresh.append('a', [counted(4)]); // 4 (3 is the legacy event)
            expect(statements.map(shape)).toEqual(['BEGIN', 'append_advancing', 'INSERT applied', 'COMMIT']);
            expect(folded.status().state).toBe('live');
            expect(await store.checkpoints.loadCheckpoint('applied')).toBe(4n);
            expect(await appliedPositions()).toEqual([2n, 4n]);
          });
        });
    },
  );
}

/** A pool whose checked-out connections record each statement's text in `log`. */
function loggingPool(log: string[]): pg.Pool {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
  pool.on('error', () => {});
  const original = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const logged = new WeakSet<pg.PoolClient>();
  // pool.query checks out through connect(callback): those statements are not logged.
  (pool as unknown as { connect: unknown }).connect = (...args: unknown[]) =>
    args.length > 0 ? original(...args) : logging();
  const logging = async () => {
    const client = (await original()) as pg.PoolClient;
    if (!logged.has(client)) {
      logged.add(client);
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as unknown as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
        log.push(typeof config === 'string' ? config : (config as { text: string }).text);
        return query(config, ...rest);
      };
    }
    return client;
  };
  return pool;
}

/** A statement's gist: its keyword and the function or table it names. */
function shape(text: string): string {
  if (/^\s*(BEGIN|COMMIT|ROLLBACK)/.test(text)) return text.trim().split(/\s+/)[0]!;
  const fn = /"(strata_append(?:_advancing)?)"\s*\(/.exec(text);
  if (fn !== null) return fn[1]!.replace('strata_', '');
  const insert = /^\s*INSERT INTO "[^"]+"\.(\w+)/.exec(text);
  if (insert !== null) return `INSERT ${insert[1]}`;
  return text.trim().slice(0, 60);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out waiting for the condition');
}
