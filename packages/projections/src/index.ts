export type { BlueGreenRebuildOptions } from './blue-green-rebuild.js';
export { blueGreenRebuild } from './blue-green-rebuild.js';
export type { CheckpointEvery } from './checkpoint-cadence.js';
export type { LogSpan } from './log-head.js';
export { findLogSpan } from './log-head.js';
export { PoisonEventError } from './poison-event-error.js';
export type { ProjectionRunnerOptions } from './projection-runner.js';
export { ProjectionRunner } from './projection-runner.js';
export type { ProjectionLag, ProjectionState, ProjectionStatus } from './projection-status.js';
export type { ProjectionHandler, ProjectionHandlers, Projector, ProjectorOptions } from './projector.js';
export { defineProjector } from './projector.js';
export type { RealtimeAfterCommitOptions } from './realtime-after-commit.js';
export { withRealtimeProjector } from './realtime-after-commit.js';
export type { RealtimeInTransactionOptions } from './realtime-in-transaction.js';
export { attachRealtimeProjector } from './realtime-in-transaction.js';
export type {
  RealtimeErrorListener,
  RealtimeProjection,
  RealtimeState,
  RealtimeStatus,
} from './realtime-status.js';
export type { RebuildOptions, RebuildProgress } from './rebuild-progress.js';
export type { RetryOptions } from './retry-policy.js';
export { isTransient } from './retry-policy.js';
export { wakeOnAppend } from './wake-on-append.js';
export { wakeOnNotices } from './wake-on-notices.js';
