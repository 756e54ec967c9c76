import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CheckpointStore, EventStore, RecordedEvent } from '@strata/core';
import { createPostgresEventStore } from '@strata/store-postgres';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { postgresReachable } from '@strata/test-servers';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATION_CHECKPOINT, migrateEvents, withUpcasting } from '../src/index.js';
import { migrationChain, writeHistory } from './migration-chain.js';

const PG_URL = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const EVENTS = 1500;
const BATCH = 25;
/** The child is killed once it reports this many events read: well before its end. */
const KILL_AFTER = 100;

const dir = mkdtempSync(join(tmpdir(), 'strata-migrate-kill-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (schemas.length === 0) return;
  const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

const pgReachable = (await postgresReachable(PG_URL)) || process.env.CI !== undefined;

interface Target {
  location: string;
  open(): Promise<{ store: EventStore; checkpoints: CheckpointStore }>;
}

function sqliteTarget(): Target {
  const location = join(dir, `${randomBytes(6).toString('hex')}.db`);
  return {
    location,
    open: async () => {
      const store = createSqliteEventStore({ database: location, busyTimeoutMs: 10_000 });
      return { store, checkpoints: store.checkpoints };
    },
  };
}

function postgresTarget(): Target {
  // A schema of its own, dropped after the file's tests: the server is shared.
  const location = `strata_t_${randomBytes(6).toString('hex')}`;
  schemas.push(location);
  return {
    location,
    open: async () => {
      const store = await createPostgresEventStore({
        connectionString: PG_URL,
        schema: location,
        poolSize: 2,
      });
      return { store, checkpoints: store.checkpoints };
    },
  };
}

/** Runs the migration in a child process and kills it with SIGKILL once it has read `KILL_AFTER` events. */
async function killMidway(kind: string, location: string): Promise<number> {
  const script = fileURLToPath(new URL('./migration-child.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child: ChildProcess = fork(script, [kind, location, String(BATCH), PG_URL], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seen = 0;
  const exited = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (_code, signal) => resolve(signal));
  });
  child.on('message', (message: { done?: number; finished?: number }) => {
    if (message.finished !== undefined) seen = Number.POSITIVE_INFINITY;
    if (message.done === undefined) return;
    seen = message.done;
    if (message.done >= KILL_AFTER) child.kill('SIGKILL');
  });
  expect(await exited, 'the child ended by SIGKILL, not by finishing').toBe('SIGKILL');
  return seen;
}

const ids = (events: RecordedEvent[]) => events.map((e) => [e.id, e.streamId, e.version, e.position]);

describe.each([
  ['SQLite', 'sqlite', sqliteTarget, true],
  ['PostgreSQL', 'postgres', postgresTarget, pgReachable],
] as const)('an eager migration on %s killed mid-way', (_name, kind, target, enabled) => {
  it.skipIf(!enabled)(
    'resumes from its checkpoint on a rerun and ends as lazy upcasting reads',
    async () => {
      const { location, open } = target();
      const { store, checkpoints } = await open();
      await writeHistory(store, 'user', EVENTS);
      const before = await store.readAll();
      const expected = await withUpcasting(store, migrationChain).readAll();

      const seen = await killMidway(kind, location);
      expect(seen).toBeGreaterThanOrEqual(KILL_AFTER);
      const checkpoint = await checkpoints.loadCheckpoint(DEFAULT_MIGRATION_CHECKPOINT);
      expect(checkpoint, 'the killed run left its checkpoint').toBeDefined();
      const midway = await store.readAll();
      const old = (events: RecordedEvent[]) =>
        events.filter(
          (e) => e.type === 'UserCreated' || (e.type === 'user.registered' && e.schemaVersion < 3),
        );
      expect(old(midway).length, 'some events were rewritten').toBeLessThan(old(before).length);
      expect(old(midway).length, 'some were not yet').toBeGreaterThan(0);
      // The run pages through the events the chain knows, BATCH at a time, and commits each page's
      // rewrites together: the kill leaves every page wholly rewritten or wholly as it was.
      const known = (events: RecordedEvent[]) => events.filter((e) => e.type !== 'audit.note');
      for (let first = 0; first < known(before).length; first += BATCH) {
        const was = old(known(before).slice(first, first + BATCH)).length;
        const now = old(known(midway).slice(first, first + BATCH)).length;
        expect([0, was], `page at ${first}: ${now} of ${was} old events left`).toContain(now);
      }

      const report = await migrateEvents(store, migrationChain, { checkpoints, batchSize: BATCH });
      expect(report.resumedAfter).toBe(checkpoint);
      expect(report.examined, 'the rerun read only what lay after the checkpoint').toBeLessThan(
        before.filter((e) => e.type !== 'audit.note').length,
      );
      const after = await store.readAll();
      expect(after).toEqual(expected);
      expect(ids(after)).toEqual(ids(before));
      expect(old(after)).toEqual([]);
      expect(await checkpoints.loadCheckpoint(DEFAULT_MIGRATION_CHECKPOINT)).toBeUndefined();
      await store.close();
    },
    120_000,
  );
});
