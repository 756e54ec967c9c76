import { statSync } from 'node:fs';
import { createSqliteEventStore } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { FULL_SCALE } from './bench-scale.js';
import type { BenchSubject } from './bench-target.js';
import { median } from './median-stats.js';
import { storeSubject } from './store-subject.js';
import { createSqliteSchema } from './targets/sqlite-bulk-seed.js';
import { SqliteMinimalStore } from './targets/sqlite-minimal-store.js';
import { configureSqliteConnection, type SqliteSynchronous } from './targets/sqlite-raw-baseline.js';
import { createTempDatabaseFile } from './temp-database.js';
import { formatTextTable } from './text-table.js';
import { batchAppends, singleAppends } from './workloads/append-workloads.js';
import type { Workload } from './workloads/workload.js';

/**
 * What one commit costs SQLite, per side, at one `synchronous` setting: WAL frames (pages) written
 * per commit, and microseconds per commit (wall time, and this process's CPU time, which a busy
 * machine disturbs less; at FULL the fsync wait is wall time only). `commit floor` is a transaction that rewrites one tiny
 * row: at FULL, its time is the fsync every commit pays, whatever it writes. Sides run interleaved
 * (the order reversed every round) on fresh files; the medians over the rounds are printed.
 *
 *   pnpm --filter @strata/bench wal-pages [--rounds N]
 */
const SIDES = ['store', 'minimal', 'floor', 'commit floor'] as const;
type WalSide = (typeof SIDES)[number];

const SCALE = { ...FULL_SCALE, singleAppends: 2_000, batchEvents: 20_000 };

interface Measurement {
  framesPerCommit: number;
  microsPerCommit: number;
  /** This process's CPU time (user + system, the WAL writes included): steadier than wall time on a busy machine. */
  cpuMicrosPerCommit: number;
}

async function open(side: WalSide, path: string, synchronous: SqliteSynchronous): Promise<BenchSubject> {
  if (side === 'minimal') return SqliteMinimalStore.open(path, synchronous);
  if (side === 'floor') return SqliteMinimalStore.openFloor(path, synchronous);
  if (side === 'commit floor') return commitFloor(path, synchronous);
  const store = createSqliteEventStore({ database: path, synchronous });
  await store.streamVersion('open');
  return storeSubject(store);
}

/** Each "append" is one transaction rewriting one 8-byte row: a commit and nothing else. */
function commitFloor(path: string, synchronous: SqliteSynchronous): BenchSubject {
  const db = new BetterSqlite3(path);
  configureSqliteConnection(db, synchronous);
  db.exec('CREATE TABLE IF NOT EXISTS commit_floor (one INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
  db.exec('INSERT OR REPLACE INTO commit_floor (one, n) VALUES (1, 0)');
  const update = db.prepare('UPDATE commit_floor SET n = n + 1 WHERE one = 1');
  const commit = db.transaction(() => update.run());
  return {
    async append() {
      commit.immediate();
    },
    readStream: async () => 0,
    readAll: async () => ({ count: 0, lastPosition: undefined }),
    close: async () => void db.close(),
  };
}

/**
 * Two runs on fresh files. Frames: a reader holding a snapshot from before the run keeps
 * checkpoints from restarting the log, so every frame written stays in the WAL file. Time: a
 * second run without that reader, since the checkpoints it blocks (tried on every commit once the
 * log passes 1,000 pages) would be timed too.
 */
async function measure(
  side: WalSide,
  workload: Workload,
  synchronous: SqliteSynchronous,
): Promise<Measurement> {
  const commits =
    workload.id === 'W1' ? SCALE.singleAppends : Math.floor(SCALE.batchEvents / SCALE.batchSize);
  const frames = await onFreshFile(async (path) => {
    const subject = await open(side, path, synchronous);
    const reader = new BetterSqlite3(path);
    const pageSize = reader.pragma('page_size', { simple: true }) as number;
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM sqlite_master').get();
    const walBytes = () => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    const before = walBytes();
    await workload.run(subject, SCALE);
    const written = (walBytes() - before) / (pageSize + 24);
    reader.exec('COMMIT');
    reader.close();
    await subject.close();
    return written;
  });
  const { elapsedNs, cpuMicros } = await onFreshFile(async (path) => {
    const subject = await open(side, path, synchronous);
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await workload.run(subject, SCALE);
    const elapsed = Number(process.hrtime.bigint() - start);
    const used = process.cpuUsage(cpu);
    await subject.close();
    return { elapsedNs: elapsed, cpuMicros: used.user + used.system };
  });
  return {
    framesPerCommit: frames / commits,
    microsPerCommit: elapsedNs / 1000 / commits,
    cpuMicrosPerCommit: cpuMicros / commits,
  };
}

async function onFreshFile<T>(work: (path: string) => Promise<T>): Promise<T> {
  const file = await createTempDatabaseFile('wal-pages', 'wal.db');
  try {
    createSqliteSchema(file.path);
    return await work(file.path);
  } finally {
    await file.remove();
  }
}

async function main(): Promise<void> {
  const roundsArg = process.argv.indexOf('--rounds');
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;
  const rows: {
    label: string;
    side: WalSide;
    frames: number;
    micros: number;
    cpuMicros: number;
    vsStore: number;
    cpuVsStore: number;
  }[] = [];
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    for (const workload of [singleAppends, batchAppends]) {
      const samples = new Map<WalSide, Measurement[]>(SIDES.map((side) => [side, []]));
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
        for (const side of order) samples.get(side)!.push(await measure(side, workload, synchronous));
      }
      const of = (side: WalSide, pick: (m: Measurement) => number) => median(samples.get(side)!.map(pick));
      const micros = (side: WalSide) => of(side, (m) => m.microsPerCommit);
      const cpuMicros = (side: WalSide) => of(side, (m) => m.cpuMicrosPerCommit);
      for (const side of SIDES) {
        rows.push({
          label: `${synchronous} ${workload.id}`,
          side,
          frames: of(side, (m) => m.framesPerCommit),
          micros: micros(side),
          cpuMicros: cpuMicros(side),
          vsStore: micros(side) / micros('store'),
          cpuVsStore: cpuMicros(side) / cpuMicros('store'),
        });
      }
    }
  }
  console.log(
    `SQLite WAL frames and time per commit (W1: ${SCALE.singleAppends} 1-event appends; ` +
      `W3: ${SCALE.batchEvents / SCALE.batchSize} appends of ${SCALE.batchSize}); medians of ${rounds} rounds\n`,
  );
  console.log(
    formatTextTable(
      [
        { header: 'Setting', align: 'left', cell: (r) => r.label },
        { header: 'Side', align: 'left', cell: (r) => r.side },
        { header: 'WAL frames/commit', align: 'right', cell: (r) => r.frames.toFixed(2) },
        { header: 'us/commit', align: 'right', cell: (r) => r.micros.toFixed(1) },
        // The store's rate as a fraction of this side's: the ratios of the bench, per commit.
        { header: 'store vs side', align: 'right', cell: (r) => `${r.vsStore.toFixed(2)}x` },
        { header: 'CPU us/commit', align: 'right', cell: (r) => r.cpuMicros.toFixed(1) },
        { header: 'store vs side (CPU)', align: 'right', cell: (r) => `${r.cpuVsStore.toFixed(2)}x` },
      ],
      rows,
      (r) => r.label,
    ),
  );
}

await main();
