import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@strata/store-sqlite';
import { tellStory } from './story.js';
import { tellPersonalDataStory } from './story-personal-data.js';

// A fresh database file each run keeps the story the same every time; pass a path to keep it.
const path = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'strata-demo-')), 'demo.sqlite');
const store = createSqliteEventStore({ database: path });

console.log(`Strata demo: an event-sourced shop on SQLite (${path})`);
try {
  await tellStory(store, store, (line) => console.log(line));
  await tellPersonalDataStory(store, store.keys, (line) => console.log(line));
  console.log('\nDone. Every state above was rebuilt from the events in that file.');
} finally {
  await store.close();
}
