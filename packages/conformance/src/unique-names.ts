import { randomUUID } from 'node:crypto';

// Every name a test writes is random, so tests never see each other's events, even on a database
// that other runs (or other processes) share.

/** A stream id no other test uses, e.g. `conformance-append-1b4e…`. */
export function uniqueStreamId(label: string): string {
  return `conformance-${label}-${randomUUID()}`;
}

/** An event type no other test uses, so `readAll({ types })` gives the test an isolated view of the log. */
export function uniqueEventType(label: string): string {
  return `conformance.${label}.${randomUUID()}`;
}

/** A fresh event id. */
export function uniqueEventId(): string {
  return randomUUID();
}
