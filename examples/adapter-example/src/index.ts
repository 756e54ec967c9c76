export type { JsonLinesEventStoreOptions } from './json-lines-event-store.js';
export { JsonLinesEventStore, openJsonLinesEventStore } from './json-lines-event-store.js';
