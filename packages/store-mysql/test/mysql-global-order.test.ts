import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, RecordedEvent } from '@strata/core';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { MysqlAppendSql } from '../src/mysql-append-sql.js';
import { tableNames } from '../src/mysql-table-names.js';
import { appendWithoutCommit } from './mysql-held-append.js';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

/** Rejects when `promise` has not settled after `seconds`: a liveness check, not a speed check. */
function settlesWithin<T>(seconds: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    sleep(seconds * 1000).then(() => {
      throw new Error(`did not settle within ${seconds} s`);
    }),
  ]);
}

function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return Promise.race([promise.then(() => true), Promise.resolve(marker).then(() => false)]);
}

/** Pages the log from `after` until `stop()` and one last page; records what it saw and any disorder. */
function tail(store: EventStore, after: bigint, type: string, stop: () => boolean) {
  const seen: RecordedEvent[] = [];
  const done = (async () => {
    let cursor = after;
    for (let last = false; ; ) {
      const page = await store.readAll({ after: cursor, limit: 3, types: [type] });
      for (const event of page) {
        expect(event.position).toBeGreaterThan(cursor);
        cursor = event.position;
        seen.push(event);
      }
      if (page.length < 3) {
        if (last) return;
        last = stop();
        await sleep(5);
      }
    }
  })();
  return { seen, done };
}

// The tails read by type: without the type index (the default) and with it.
for (const typeIndex of [false, true]) {
  const mode = typeIndex ? ' (typeIndex: true)' : '';

  describe.skipIf(!reachable)(
    `global order with a transaction held open by another connection${mode}`,
    () => {
      const tables = useTestTables({ typeIndex });
      const sql = new MysqlAppendSql(tableNames(tables.prefix), false);
      const newType = () => `order.${randomUUID()}`;

      const appendHeldOpen = (raw: Connection, streamId: string, type: string) =>
        appendWithoutCommit(raw, tables.prefix, streamId, type, '{"raw":true}');

      for (const ending of ['COMMIT', 'ROLLBACK'] as const) {
        it(`a reader neither skips an open append nor waits for it, and appends cannot overtake it (${ending})`, async () => {
          const store = tables.open();
          const peer = tables.open();
          const type = newType();
          const start = (await store.append(`marker-${randomUUID()}`, [{ type, data: 'marker' }]))
            .lastPosition;
          const raw = await tables.raw();
          const rawStream = `raw-${randomUUID()}`;
          const rawPosition = await appendHeldOpen(raw, rawStream, type);

          let stopped = false;
          const reader = tail(store, start, type, () => stopped);
          const others = Promise.all(
            [store, peer, store].map((s, i) => s.append(`other-${i}-${randomUUID()}`, [{ type, data: i }])),
          );
          // The reader keeps answering while the transaction is open, and returns nothing past it.
          expect(await settlesWithin(10, store.readAll({ after: start, types: [type] }))).toEqual([]);
          await sleep(300);
          expect(await isSettled(others), 'later appends wait for the open one to end').toBe(false);
          expect(reader.seen).toEqual([]);

          await raw.query(ending);
          const results = await settlesWithin(30, others);
          stopped = true;
          await settlesWithin(30, reader.done);

          const all = await store.readAll({ after: start, types: [type] });
          expect(reader.seen).toEqual(all);
          const positions = all.map((e) => e.position);
          expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
          if (ending === 'COMMIT') {
            expect(all.map((e) => e.streamId)[0]).toBe(rawStream);
            expect(all[0]?.position).toBe(rawPosition);
            expect(all).toHaveLength(4);
          } else {
            expect(all.map((e) => e.streamId)).not.toContain(rawStream);
            expect(all).toHaveLength(3);
            // The rolled-back position is handed out again: the log has no hole where it was.
            expect(all[0]?.position).toBe(rawPosition);
          }
          expect(results.map((r) => r.lastPosition).sort()).toEqual(
            all.filter((e) => e.streamId !== rawStream).map((e) => e.position),
          );
        });
      }

      it('a transaction that began before others and commits after them is read after them, not skipped', async () => {
        const store = tables.open();
        const type = newType();
        const start = (await store.append(`marker-${randomUUID()}`, [{ type, data: 'marker' }])).lastPosition;
        const raw = await tables.raw();
        const rawStream = `late-${randomUUID()}`;
        // The part of an append before the position lock: it does not hold up anyone else.
        await raw.query('START TRANSACTION');
        await raw.execute(sql.createStream, [rawStream, 'raw', 1]);

        let stopped = false;
        const reader = tail(store, start, type, () => stopped);
        for (let i = 0; i < 5; i++)
          await settlesWithin(10, store.append(`early-${i}-${randomUUID()}`, [{ type, data: i }]));
        while (reader.seen.length < 5) await sleep(5);
        const cursor = reader.seen[4]!.position;

        const [header] = await raw.execute<ResultSetHeader>(sql.takePositions, [1]);
        const now = Date.now();
        await raw.execute(sql.insertEvents(1), [
          String(header.insertId),
          rawStream,
          1,
          randomUUID(),
          'raw',
          type,
          '{}',
          '{}',
          1,
          now,
          now,
        ]);
        await raw.query('COMMIT');
        stopped = true;
        await settlesWithin(30, reader.done);

        const late = reader.seen.find((e) => e.streamId === rawStream);
        expect(late, 'the late commit is seen by a reader already past the others').toBeDefined();
        expect(late!.position).toBeGreaterThan(cursor);
        expect(reader.seen).toHaveLength(6);
      });

      it('readers tailing four instances (separate pools) see every event once, in order', async () => {
        const writers = [tables.open(), tables.open(), tables.open(), tables.open()];
        const reader = tables.open();
        const type = newType();
        const start = (await reader.append(`marker-${randomUUID()}`, [{ type, data: 'marker' }]))
          .lastPosition;
        let writing = true;
        const tails = [
          tail(reader, start, type, () => !writing),
          tail(writers[0]!, start, type, () => !writing),
        ];
        await Promise.all(
          writers.flatMap((store, w) =>
            [0, 1].map(async (lane) => {
              const streamId = `tail-${w}-${lane}-${randomUUID()}`;
              for (let i = 0; i < 40; i++) {
                await store.append(streamId, [
                  { type, data: i },
                  ...(i % 3 === 0 ? [{ type, data: -i }] : []),
                ]);
              }
            }),
          ),
        );
        writing = false;
        await Promise.all(tails.map((t) => settlesWithin(60, t.done)));
        const committed = await reader.readAll({ after: start, types: [type] });
        expect(committed).toHaveLength(4 * 2 * (40 + 14));
        for (const t of tails) expect(t.seen.map((e) => e.id)).toEqual(committed.map((e) => e.id));
      });
    },
  );
}
