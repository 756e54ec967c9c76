import { parseArgs } from 'node:util';
import {
  type CheckpointStore,
  type EventStore,
  type NewEvent,
  supportsEventRewriteBatch,
} from '@strata/core';
import { defineUpcasters, migrateEvents } from '@strata/upcasting';
import { median } from './median-stats.js';
import { formatTextTable } from './text-table.js';
import {
  postgresWrapperBackend,
  sqliteWrapperBackend,
  type WrapperBackend,
} from './wrappers/wrapper-backends.js';

/**
 * What committing a migration's batch at once (`rewriteEvents`) gains over one `rewriteEvent` per
 * event, in events/s of `migrateEvents` over 20,000 events that all need rewriting (default
 * `batchSize` 500 and `concurrency` 4). Both sides run in this process on fresh stores, interleaved,
 * the order reversed every round; the seeding is not timed. The 'one by one' side is the same store
 * with `rewriteEvents` hidden, as a store without the batch form is.
 *
 *   pnpm --filter @strata/bench migrate-batch [--rounds N] [--events N] [--target sqlite,postgres]
 */
const SIDES = ['batch', 'one by one'] as const;
type Side = (typeof SIDES)[number];

const chain = defineUpcasters({ 'user.registered': 2 }, [
  {
    type: 'user.registered',
    fromVersion: 1,
    upcast: ({ full_name, ...rest }: { full_name: string }) => ({ ...rest, name: full_name }),
  },
]);

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    events: { type: 'string', default: '20000' },
    target: { type: 'string', default: 'sqlite,postgres' },
  },
});
const rounds = Number(values.rounds);
const events = Number(values.events);
const backends = [sqliteWrapperBackend, postgresWrapperBackend].filter((b) =>
  values.target.split(',').includes(b.name),
);

/** The store as one without the batch form has it: everything but `rewriteEvents`. */
function oneByOne(store: EventStore): EventStore {
  return new Proxy(store, {
    get: (target, key) => {
      if (key === 'rewriteEvents') return undefined;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function seed(store: EventStore): Promise<void> {
  for (let first = 0; first < events; first += 500) {
    const batch: NewEvent[] = Array.from({ length: Math.min(500, events - first) }, (_, i) => ({
      type: 'user.registered',
      data: { userId: `u-${first + i}`, full_name: `User ${first + i}`, email: `u${first + i}@example.com` },
    }));
    // Streams of ten events, as aggregates: a batch of rewrites spans fifty streams.
    for (let s = 0; s < batch.length; s += 10)
      await store.append(`user-${first + s}`, batch.slice(s, s + 10));
  }
}

async function measure(backend: WrapperBackend, side: Side): Promise<number> {
  const target = await backend.open();
  try {
    await seed(target.store);
    const store = side === 'batch' ? target.store : oneByOne(target.store);
    if (supportsEventRewriteBatch(store) !== (side === 'batch')) throw new Error(`${side}: wrong capability`);
    const checkpoints = (target.store as unknown as { checkpoints: CheckpointStore }).checkpoints;
    const started = performance.now();
    const report = await migrateEvents(store, chain, { checkpoints });
    const seconds = (performance.now() - started) / 1000;
    if (report.rewritten !== events) throw new Error(`${side}: rewrote ${report.rewritten} of ${events}`);
    return events / seconds;
  } finally {
    await target.cleanup();
  }
}

const rows: string[][] = [];
for (const backend of backends) {
  const problem = await backend.probe();
  if (problem !== undefined) {
    rows.push([backend.label, 'skipped', problem, '', '']);
    continue;
  }
  const samples: Record<Side, number[]> = { batch: [], 'one by one': [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) samples[side].push(await measure(backend, side));
  }
  const batch = median(samples.batch);
  const single = median(samples['one by one']);
  rows.push([
    backend.label,
    Math.round(batch).toLocaleString('en-US'),
    Math.round(single).toLocaleString('en-US'),
    `${(batch / single).toFixed(2)}x`,
    SIDES.map((side) => samples[side].map((n) => Math.round(n)).join('/')).join(' | '),
  ]);
}
console.log(
  `migrateEvents over ${events.toLocaleString('en-US')} events, all rewritten; medians of ${rounds} interleaved rounds\n`,
);
const HEADERS = [
  'store',
  'batch events/s',
  'one by one events/s',
  'batch / one by one',
  'rounds (batch | one by one)',
];
console.log(
  formatTextTable(
    HEADERS.map((header, i) => ({
      header,
      align: i === 0 || i === 4 ? 'left' : 'right',
      cell: (row: string[]) => row[i]!,
    })),
    rows,
  ),
);
