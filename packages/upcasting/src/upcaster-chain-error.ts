import { StrataError } from '@strata/core';

/**
 * The upcasters handed to `defineUpcasters` do not form a chain that takes every stored version of
 * `eventType` to its current version: a missing step, two steps from one version, a cycle, or a
 * step that ends past or beside the current version. Thrown at registration, so no event is ever
 * half-upcast at read time. Fix the upcaster named by `eventType` and `schemaVersion`.
 */
export class UpcasterChainError extends StrataError {
  static readonly code = 'STRATA_UPCASTER_CHAIN';
  override readonly name: string = 'UpcasterChainError';
  readonly eventType: string;
  readonly schemaVersion: number;

  constructor(eventType: string, schemaVersion: number, problem: string) {
    super(
      UpcasterChainError.code,
      `Upcaster chain of "${eventType}" at schema version ${schemaVersion}: ${problem}`,
    );
    this.eventType = eventType;
    this.schemaVersion = schemaVersion;
  }

  static override isInstance(error: unknown): error is UpcasterChainError {
    return StrataError.isInstance(error) && error.code === UpcasterChainError.code;
  }
}
