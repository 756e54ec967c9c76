/**
 * - `live`: applying events as they are appended.
 * - `behind`: not applying them: events it has not seen lie before its checkpoint's next events
 *   (appended before it was attached, by a writer without it, or after a failure past the commit).
 *   A `ProjectionRunner` on the same checkpoint catches it up; it turns `live` again by itself once
 *   the checkpoint has caught up.
 * - `detached`: `detach()` was called.
 */
export type RealtimeState = 'live' | 'behind' | 'detached';

export interface RealtimeStatus {
  name: string;
  state: RealtimeState;
  /** The last checkpoint this projection saved or found; `undefined` before it has seen one. */
  checkpoint: bigint | undefined;
  /** Events handed to the projector by this projection since it was attached. */
  eventsProcessed: number;
  /** While `behind` after a failure: the checkpoint the catch-up must reach before realtime resumes. */
  behindUntil: bigint | undefined;
  /** The last error a handler or the storage raised here; `undefined` after none. */
  lastError: unknown;
}

/** A realtime projector attached to a store: its status, and the way to take it off. */
export interface RealtimeProjection {
  readonly name: string;
  status(): RealtimeStatus;
  /** Stops applying events from the next append on. Idempotent. */
  detach(): void;
}

/** Called with every error a realtime projection meets, for logs and metrics; it must not throw. */
export type RealtimeErrorListener = (error: unknown, context: { projector: string }) => void;

/** The bookkeeping behind `RealtimeProjection.status()`. */
export class RealtimeTracker {
  state: RealtimeState = 'live';
  checkpoint: bigint | undefined;
  eventsProcessed = 0;
  behindUntil: bigint | undefined;
  lastError: unknown;

  constructor(
    readonly name: string,
    private readonly onError: RealtimeErrorListener | undefined,
  ) {}

  applied(checkpoint: bigint, events: number): void {
    if (this.state === 'detached') return;
    this.state = 'live';
    this.checkpoint = checkpoint;
    this.eventsProcessed += events;
  }

  behind(checkpoint: bigint | undefined, until?: bigint): void {
    if (this.state === 'detached') return;
    this.state = 'behind';
    this.checkpoint = checkpoint;
    this.behindUntil = until;
  }

  failed(error: unknown): void {
    this.lastError = error;
    try {
      this.onError?.(error, { projector: this.name });
    } catch {
      // A broken listener must not change what the append reports.
    }
  }

  status(): RealtimeStatus {
    return {
      name: this.name,
      state: this.state,
      checkpoint: this.checkpoint,
      eventsProcessed: this.eventsProcessed,
      behindUntil: this.behindUntil,
      lastError: this.lastError,
    };
  }
}
