import type { EventStore, NewEvent } from '@strata/core';
import { createSqliteEventStore, type SqliteEventStore } from '../sqlite-event-store.js';
import type { SqliteSynchronous } from '../sqlite-store-options.js';
import {
  holdWriteLock,
  kitFiles,
  prepareKitDatabase,
  REFUSED_EVENT_TYPE,
  raisePositionFloor,
} from './sqlite-kit-files.js';

export interface SqliteKitTargetOptions<S extends EventStore> {
  /**
   * Wraps each store the kit opens: the wrapper under test (upcasting, encryption, your own). `file`
   * is the database it is on; a peer on the same file gets the same `file`. Default: the store itself.
   */
  wrap?: (store: SqliteEventStore, file: string) => S;
  /** One file shared by every test instead of a fresh file per test. Default false. */
  sharedFile?: boolean;
  synchronous?: SqliteSynchronous;
}

/** What `describeEventStore` (`@strata/conformance`) takes to run every topic over SQLite. */
export interface SqliteKitTarget<S extends EventStore> {
  create(): Promise<S>;
  createPeer(store: EventStore): Promise<S>;
  refusedEvent(): NewEvent;
  seedPosition(lastPosition: bigint): Promise<S>;
  outage: { begin(store: EventStore): Promise<void>; end(store: EventStore): Promise<void> };
  dispose(store: EventStore): Promise<void>;
  /** Deletes the target's files: call it after the tests (`afterAll`). */
  removeFiles(): void;
}

/**
 * The conformance kit's options for stores on SQLite files in a temp folder, with every optional
 * topic the SQLite adapter's own run has: peers on the same file, a refused append (a trigger), a
 * log starting past a given position, and an outage (another connection holding the write lock).
 * With `wrap`, the kit runs over your wrapper; closing it must leave the wrapped store open, as
 * the contract asks, so `dispose` closes both.
 */
export function sqliteKitTarget<S extends EventStore = SqliteEventStore>(
  options: SqliteKitTargetOptions<S> = {},
): SqliteKitTarget<S> {
  const files = kitFiles();
  const shared = options.sharedFile === true ? files.path() : undefined;
  const fileOf = new WeakMap<EventStore, string>();
  const innerOf = new WeakMap<EventStore, SqliteEventStore>();
  const locks = new WeakMap<EventStore, { release(): void }>();
  const wrap = options.wrap ?? ((store: SqliteEventStore) => store as unknown as S);

  const open = (file: string): S => {
    prepareKitDatabase(file);
    // A short busy timeout: an outage fails fast.
    const inner = createSqliteEventStore({
      database: file,
      busyTimeoutMs: 50,
      ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
    });
    const store = wrap(inner, file);
    fileOf.set(store, file);
    innerOf.set(store, inner);
    return store;
  };

  return {
    create: async () => open(shared ?? files.path()),
    createPeer: async (store) => open(fileOf.get(store)!),
    refusedEvent: () => ({ type: REFUSED_EVENT_TYPE, data: {} }),
    seedPosition: async (lastPosition) => {
      const file = files.path();
      raisePositionFloor(file, lastPosition);
      return open(file);
    },
    outage: {
      begin: async (store) => {
        locks.set(store, holdWriteLock(fileOf.get(store)!));
      },
      end: async (store) => {
        locks.get(store)?.release();
        locks.delete(store);
      },
    },
    dispose: async (store) => {
      await store.close();
      const inner = innerOf.get(store);
      if (inner !== undefined && inner !== (store as unknown)) await inner.close();
    },
    removeFiles: files.remove,
  };
}
