import type { EventStore, SnapshotStore } from '@strata/core';
import { createRedisEventStore, recommendedRedisOptions } from '@strata/store-redis';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { createTieredEventStore } from '@strata/store-tiered';
import { Redis } from 'ioredis';
import { BenchObjectNames } from '../bench-object-names.js';
import { openMysqlBenchStore, openPostgresBenchStore } from '../bench-server-stores.js';
import { deleteKeysAndDisconnect } from '../redis-key-cleanup.js';
import { MYSQL_URL, probeMysql } from '../targets/mysql-target.js';
import { POSTGRES_URL, probePostgres } from '../targets/postgres-target.js';
import { createTempDatabaseFile } from '../temp-database.js';
import { openBenchHotTier, probeRedis, REDIS_URL } from '../tiered/redis-bench-hot-tier.js';

/** Where a run's data lives: everything in it is the run's own, and `cleanup` deletes it. */
export interface BenchLocation {
  kind: 'sqlite file' | 'postgres schema' | 'mysql table prefix' | 'redis key prefix';
  name: string;
}

/** One target's stores, opened for a run under objects of their own. */
export interface OpenSnapshotTarget {
  events: EventStore;
  snapshots: SnapshotStore;
  locations: readonly BenchLocation[];
  /** Waits for the event store's own background work (the tiered store's hot-tier writes). */
  settle(): Promise<void>;
  /** What the event store did besides answering (the tiered store's hits and hot-tier errors). */
  health(): string | undefined;
  /** Closes the stores and deletes everything in `locations` (nothing else). */
  cleanup(): Promise<void>;
}

export interface SnapshotBackend {
  readonly name: string;
  readonly label: string;
  /** What `--target` may name to select it. */
  readonly keys: readonly string[];
  /** Printed with the results: where the snapshots live when it is not obvious. */
  readonly note?: string;
  probe(): Promise<string | undefined>;
  open(): Promise<OpenSnapshotTarget>;
}

export const snapshotBackendKeys = (backend: SnapshotBackend): readonly string[] => backend.keys;

const redisNames = new BenchObjectNames('strata-bench:');

/** Long enough that no hot copy expires during a run; the keys are deleted at the end anyway. */
const TTL_SECONDS = 600;

const nothingToSettle = async () => {};
const noHealth = () => undefined;

export const sqliteSnapshotBackend: SnapshotBackend = {
  name: 'sqlite',
  label: 'SQLite (temp file, synchronous=FULL)',
  keys: ['sqlite'],
  probe: async () => undefined,
  async open() {
    const file = await createTempDatabaseFile('snapshots', 'bench.db');
    const store = createSqliteEventStore({ database: file.path });
    return {
      events: store,
      snapshots: store.snapshots,
      locations: [{ kind: 'sqlite file', name: file.path }],
      settle: nothingToSettle,
      health: noHealth,
      async cleanup() {
        try {
          await store.close();
        } finally {
          await file.remove();
        }
      },
    };
  },
};

/** A store on a server under a schema or table prefix of its own, with its own snapshot store. */
function serverSnapshotBackend(
  name: 'postgres' | 'mysql',
  label: string,
  probe: () => Promise<string | undefined>,
  openStore: typeof openPostgresBenchStore | typeof openMysqlBenchStore,
  kind: BenchLocation['kind'],
): SnapshotBackend {
  return {
    name,
    label,
    keys: [name],
    probe,
    async open() {
      const { store, location, cleanup } = await openStore('snap');
      return {
        events: store,
        snapshots: store.snapshots,
        locations: [{ kind, name: location }],
        settle: nothingToSettle,
        health: noHealth,
        cleanup,
      };
    },
  };
}

export const postgresSnapshotBackend = serverSnapshotBackend(
  'postgres',
  'PostgreSQL',
  () => probePostgres(POSTGRES_URL),
  openPostgresBenchStore,
  'postgres schema',
);

export const mysqlSnapshotBackend = serverSnapshotBackend(
  'mysql',
  'MySQL (MariaDB)',
  () => probeMysql(MYSQL_URL),
  openMysqlBenchStore,
  'mysql table prefix',
);

export const redisSnapshotBackend: SnapshotBackend = {
  name: 'redis',
  label: 'Redis (standalone)',
  keys: ['redis'],
  probe: () => probeRedis(REDIS_URL),
  async open() {
    const keyPrefix = `${redisNames.next('snap')}:`;
    const client = new Redis(REDIS_URL, recommendedRedisOptions());
    client.on('error', () => {});
    const store = createRedisEventStore({ client, keyPrefix });
    return {
      events: store,
      snapshots: store.snapshots,
      locations: [{ kind: 'redis key prefix', name: keyPrefix }],
      settle: nothingToSettle,
      health: noHealth,
      async cleanup() {
        try {
          await store.close();
        } finally {
          await deleteKeysAndDisconnect(client, keyPrefix);
        }
      },
    };
  },
};

export const tieredSnapshotBackend: SnapshotBackend = {
  name: 'tiered',
  label: 'tiered (Redis hot over MySQL warm)',
  keys: ['tiered'],
  note:
    'tiered: events and snapshots both through the tiered store (strict): `tiered.snapshots` keeps ' +
    "each stream's newest snapshot in Redis over the MySQL warm store's `snapshots`.",
  async probe() {
    return (await probeRedis(REDIS_URL)) ?? (await probeMysql(MYSQL_URL));
  },
  async open() {
    const warm = await openMysqlBenchStore('snap');
    const hotTier = openBenchHotTier(REDIS_URL);
    const logged: string[] = [];
    const events = createTieredEventStore({
      warm: warm.store,
      hot: hotTier.hot,
      ttlSeconds: TTL_SECONDS,
      logger: { warn: (message) => logged.push(message), info: (message) => logged.push(message) },
    });
    return {
      events,
      snapshots: events.snapshots!,
      locations: [
        { kind: 'mysql table prefix', name: warm.location },
        { kind: 'redis key prefix', name: hotTier.keyPrefix },
      ],
      settle: () => events.flush(),
      health() {
        const s = events.stats();
        return (
          `hot tier: ${s.hits} hits, ${s.misses} misses, ${s.promotions} promotions, ${s.writeThroughs} write-throughs, ` +
          `snapshots ${s.snapshots.hits} hits, ${s.snapshots.misses} misses, ${s.snapshots.promotions} promotions, ` +
          `${s.snapshots.writeThroughs} write-throughs, ` +
          `${s.hotErrors} failed calls, ${s.breakerOpenings} breaker openings` +
          (logged.length > 0 ? `; logged: ${logged.join(' | ')}` : '')
        );
      },
      async cleanup() {
        try {
          await events.close();
          await hotTier.cleanup();
        } finally {
          await warm.cleanup();
        }
      },
    };
  },
};

/** In report order: the issue lists them so. */
export const SNAPSHOT_BACKENDS: readonly SnapshotBackend[] = [
  sqliteSnapshotBackend,
  postgresSnapshotBackend,
  mysqlSnapshotBackend,
  redisSnapshotBackend,
  tieredSnapshotBackend,
];
