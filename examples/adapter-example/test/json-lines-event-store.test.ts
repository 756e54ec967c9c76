import { randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStore } from '@strata/conformance';
import type { EventStore } from '@strata/core';
import { afterAll } from 'vitest';
import { type JsonLinesEventStore, openJsonLinesEventStore } from '../src/index.js';

// Every test gets its own folder under one temporary root, removed when the file is done.
const root = mkdtempSync(join(tmpdir(), 'strata-jsonl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const directoryOf = (store: EventStore) => (store as JsonLinesEventStore).directory;

describeEventStore('JsonLinesEventStore', {
  create: () => openJsonLinesEventStore({ directory: join(root, randomUUID()) }),
  // A second store over the same folder behaves like a second process.
  createPeer: (store) => openJsonLinesEventStore({ directory: directoryOf(store) }),
  // A new log that continues after `lastPosition`, for the tests near 2^53 and 2^63 - 1.
  seedPosition: (lastPosition) =>
    openJsonLinesEventStore({ directory: join(root, randomUUID()), lastPosition }),
  // Moving the folder away makes the storage unreachable, like an unmounted network share.
  outage: {
    begin: async (store) => renameSync(directoryOf(store), `${directoryOf(store)}.offline`),
    end: async (store) => renameSync(`${directoryOf(store)}.offline`, directoryOf(store)),
  },
});
