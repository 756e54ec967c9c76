import { hasErrorCode, StrataError } from './strata-error.js';

/**
 * A one-off run (`catchUp()`) needed a lease that another runner holds. Nothing was read or written.
 * Let that runner do the work, or try again once it has stopped.
 */
export class LeaseHeldError extends StrataError {
  static readonly code = 'STRATA_LEASE_HELD';
  override readonly name: string = 'LeaseHeldError';
  readonly leaseName: string;

  constructor(leaseName: string) {
    super(
      LeaseHeldError.code,
      `The lease "${leaseName}" is held by another runner; only its holder may process this projector.`,
    );
    this.leaseName = leaseName;
  }

  static override isInstance(error: unknown): error is LeaseHeldError {
    return hasErrorCode(error, LeaseHeldError.code);
  }
}
