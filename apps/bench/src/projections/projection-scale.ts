/** How much the projections suite measures. One place, so the printed description matches what ran. */
export interface ProjectionScale {
  readonly name: 'full' | 'quick';
  /** Interleaved rounds: each round runs one block of every case, in an order that changes each round. */
  readonly rounds: number;
  /** Projected events in the log; every projection block reads (and applies) all of them. */
  readonly loggedEvents: number;
  /** The runner's batch size, and the raw readAll page size it is compared with (issue 10: 100). */
  readonly batchSize: number;
  /** Single-event appends per append block, round-robin over `appendStreams` streams. */
  readonly appendsPerRound: number;
  readonly appendStreams: number;
}

/**
 * Under a minute per target on two cores; the one-upsert-per-event case, a commit per event, is
 * what bounds the log's size.
 */
export const PROJECTION_FULL_SCALE: ProjectionScale = {
  name: 'full',
  rounds: 10,
  loggedEvents: 5_000,
  batchSize: 100,
  appendsPerRound: 200,
  appendStreams: 50,
};

export const PROJECTION_QUICK_SCALE: ProjectionScale = {
  name: 'quick',
  rounds: 3,
  loggedEvents: 300,
  batchSize: 100,
  appendsPerRound: 20,
  appendStreams: 5,
};
