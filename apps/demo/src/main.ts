import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { attachSqliteOrderSummaries } from './read-models/sqlite-order-summaries.js';
import { tellStory } from './story.js';
import { tellPersonalDataStory } from './story-personal-data.js';

// A fresh database file each run keeps the story the same every time; pass a path to keep it.
const path = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'strata-demo-')), 'demo.sqlite');
const store = createSqliteEventStore({ database: path });

console.log(`Strata demo: an event-sourced shop on SQLite (${path})`);
try {
  // Attached before the first append: the realtime read model sees every order event.
  const orderSummaries = await attachSqliteOrderSummaries(store);
  const side = { snapshots: store.snapshots, checkpoints: store.checkpoints, orderSummaries };
  await tellStory(store, side, (line) => console.log(line));
  await tellPersonalDataStory(store, store.keys, (line) => console.log(line));
  console.log('\nDone. Every state above was rebuilt from the events in that file.');
} finally {
  await store.close();
}
