export type { MigrateEventsOptions, MigrationProgress } from './event-migration-options.js';
export { DEFAULT_MIGRATION_CHECKPOINT } from './event-migration-options.js';
export type { MigrationChange, MigrationReport, MigrationSplit } from './migrate-events.js';
export { migrateEvents } from './migrate-events.js';
export type { SplitPart, Upcaster } from './upcaster.js';
export type { SplitStep, UpcasterChain, UpcastStep } from './upcaster-chain.js';
export { defineUpcasters } from './upcaster-chain.js';
export { UpcasterChainError } from './upcaster-chain-error.js';
export { withUpcasting } from './upcasting-event-store.js';
