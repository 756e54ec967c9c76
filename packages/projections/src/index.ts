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
export type { RetryOptions } from './retry-policy.js';
export { isTransient } from './retry-policy.js';
export { wakeOnAppend } from './wake-on-append.js';
