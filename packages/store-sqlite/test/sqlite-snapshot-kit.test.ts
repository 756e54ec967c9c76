import {
  describeCheckpointStore,
  describeDeadLetterStore,
  describeKeyStore,
  describeSnapshotStore,
} from '@strata/conformance';
import { createSqliteEventStore, type SqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();
const owners = new WeakMap<object, SqliteEventStore>();

function open<S extends object>(pick: (store: SqliteEventStore) => S): () => Promise<S> {
  return async () => {
    const store = createSqliteEventStore({ database: databases.path() });
    const picked = pick(store);
    owners.set(picked, store);
    return picked;
  };
}

const dispose = async (picked: object) => owners.get(picked)?.close();

describeSnapshotStore('SqliteSnapshotStore (conformance kit)', { create: open((s) => s.snapshots), dispose });
describeCheckpointStore('SqliteCheckpointStore (conformance kit)', {
  create: open((s) => s.checkpoints),
  dispose,
});
describeDeadLetterStore('SqliteDeadLetterStore (conformance kit)', {
  create: open((s) => s.deadLetters),
  dispose,
});
describeKeyStore('SqliteKeyStore (conformance kit)', { create: open((s) => s.keys), dispose });
