import type { ChildProcess } from 'node:child_process';

/** What a runner process reports (see `serveRunnerToParent`): its state and, while it holds the lease, its fence. */
export interface RunnerReport {
  state: string;
  fence?: string;
}

export interface RunnerProcess {
  child: ChildProcess;
  reports: RunnerReport[];
  /** Resolves once the process has reported `state`. */
  reached(state: string, timeoutMs?: number): Promise<RunnerReport>;
}

/** One read-model row per event position: how often it was applied, and by which runner. */
export interface LeaseRaceRow {
  applications: number;
  runner: string;
}

interface LeaseRaceStore {
  append(streamId: string, events: Array<{ type: string; data: unknown }>): Promise<{ lastPosition: bigint }>;
  checkpoints: {
    loadCheckpoint(name: string): Promise<bigint | undefined>;
    loadCheckpointState(name: string): Promise<{ position: bigint; fence: bigint | null } | undefined>;
  };
}

export interface ProjectionLeaseRaceOptions {
  /** Absolute path of the engine's runner script; it ends with `serveRunnerToParent`. */
  childScript: string;
  /** The script's arguments for one runner process. */
  childArgs(runnerId: string, projector: string, eventType: string): string[];
  /** The store the test appends with and reads checkpoints from (a function: it may open late). */
  store(): LeaseRaceStore;
  /** The read model's rows for `projector`, in position order. */
  readModel(projector: string): Promise<LeaseRaceRow[]>;
  /** Empties the read model after each test, when the engine keeps it across tests. */
  clearReadModel?(): Promise<void>;
}

export interface ProjectionLeaseRace {
  /** The projector and event type of the running test. */
  names: { projector: string; eventType: string };
  spawnRunner(runnerId: string): RunnerProcess;
  /** Appends `count` events of the test's type over 7 streams; returns the last position. */
  appendCounted(count: number): Promise<bigint>;
  caughtUpTo(position: bigint): Promise<void>;
  readModel(): Promise<LeaseRaceRow[]>;
  stop(runner: RunnerProcess): Promise<void>;
}

export declare const LIVENESS_MS: number;

/**
 * Registers the two cross-process lease scenarios in the enclosing `describe`, and returns the
 * harness for an engine's own scenarios.
 */
export declare function describeProjectionLeaseRace(options: ProjectionLeaseRaceOptions): ProjectionLeaseRace;
