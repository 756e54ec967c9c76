import type { RecordedEvent } from '@strata/core';

/** An event whose handler kept failing, as the runner hands it to a dead-letter store. */
export interface PoisonEvent {
  projector: string;
  event: RecordedEvent;
  /** The last error, as plain data: it is stored, and errors do not serialize. */
  error: { name: string; message: string; stack?: string };
  attempts: number;
  failedAt: Date;
}

/** Where poison events go. A runner without one stops at the first, so nothing is dropped silently. */
export interface PoisonSink {
  add(poison: PoisonEvent): Promise<void>;
}

export function errorData(error: unknown): PoisonEvent['error'] {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  return { name: 'NonError', message: String(error) };
}
