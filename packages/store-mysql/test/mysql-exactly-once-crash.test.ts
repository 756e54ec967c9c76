import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { MYSQL_URL, mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const childScript = fileURLToPath(new URL('./exactly-once-runner-child.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BATCH = 10;
/** How long the child's handler waits after each event: the parent's kill lands well inside it. */
const HANDLER_DELAY_MS = 100;
/** Liveness bounds for a loaded 2-core machine; nothing here measures speed. */
const LIVENESS_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('an exactly-once runner killed with SIGKILL in the middle of a batch', () => {
  const tables = useTestTables();
  const readModelTable = `\`${tables.prefix}read_model\``;
  const progressDir = mkdtempSync(join(tmpdir(), 'strata-mysql-crash-'));
  afterAll(async () => {
    rmSync(progressDir, { recursive: true, force: true });
    const admin = await createConnection({ uri: MYSQL_URL });
    await admin.query(`DROP TABLE IF EXISTS ${readModelTable}`);
    await admin.end();
  });

  it('applies every event exactly once across kills at different points and a restart', async () => {
    const store = tables.open();
    const admin = await tables.raw();
    await admin.query(
      `CREATE TABLE ${readModelTable} (position BIGINT UNSIGNED PRIMARY KEY, applications INT NOT NULL)`,
    );
    for (let i = 0; i < 6; i++) {
      const events = Array.from({ length: 10 }, () => ({ type: 'counted', data: {} }));
      await store.append(`counter-${i % 3}`, events);
    }
    const positions = (await store.readAll()).map((event) => event.position);
    const readModel = async () => {
      const [rows] = await admin.query(
        `SELECT CAST(position AS SIGNED) AS position, applications FROM ${readModelTable} ORDER BY position`,
      );
      return (rows as Array<{ position: number; applications: number }>).map((row) => ({
        position: Number(row.position),
        applications: row.applications,
      }));
    };
    const checkpoint = async () => (await store.checkpoints.loadCheckpoint('crash')) ?? 0n;

    /** Runs a child; with `killAt`, kills it with SIGKILL once its handler has applied that position. */
    const runChild = async (run: number, killAt?: bigint) => {
      const progress = join(progressDir, `progress-${run}`);
      const child = fork(
        childScript,
        [MYSQL_URL, tables.prefix, 'crash', 'counted', progress, String(HANDLER_DELAY_MS)],
        { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      if (killAt !== undefined) {
        const deadline = Date.now() + LIVENESS_MS;
        const applied = () =>
          existsSync(progress) && readFileSync(progress, 'utf8').split('\n').includes(String(killAt));
        while (!applied()) {
          if (Date.now() > deadline) throw new Error(`the child never applied position ${killAt}`);
          await sleep(2);
        }
        child.kill('SIGKILL');
      }
      return exited;
    };

    /** The read model holds every event up to the checkpoint, each applied once, and nothing after it. */
    const expectConsistent = async () => {
      const saved = await checkpoint();
      expect(await readModel()).toEqual(
        positions.filter((p) => p <= saved).map((p) => ({ position: Number(p), applications: 1 })),
      );
      return saved;
    };

    // Kill points: (batch after the checkpoint, event within it): first, middle, last of a batch.
    const killPoints: Array<[number, number]> = [
      [0, 1],
      [1, 5],
      [0, BATCH],
      [2, 3],
    ];
    for (const [run, [batch, event]] of killPoints.entries()) {
      const before = await checkpoint();
      const pending = positions.filter((p) => p > before);
      const killAt = pending[batch * BATCH + event - 1]!;
      expect(await runChild(run, killAt)).toBeNull();
      const saved = await expectConsistent();
      // The batches before the killed one committed; the killed one left nothing behind (or, when
      // the kill came after its last event, at most its own commit).
      const committedBefore = batch === 0 ? before : pending[batch * BATCH - 1]!;
      const allowed =
        event === BATCH ? [committedBefore, pending[batch * BATCH + BATCH - 1]!] : [committedBefore];
      expect(allowed).toContain(saved);
    }
    expect(await runChild(killPoints.length)).toBe(0);
    expect(await expectConsistent()).toBe(positions.at(-1));
    expect(await readModel()).toHaveLength(positions.length);
  }, 180_000);
});
