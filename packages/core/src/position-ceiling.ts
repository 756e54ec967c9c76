import { PositionsExhaustedError } from './errors/positions-exhausted-error.js';
import { MAX_POSITION } from './snapshot-input.js';

/**
 * For adapters: call with the last position an append would take, before anything of it is
 * committed. Past `MAX_POSITION` it throws `PositionsExhaustedError` instead of letting a driver
 * overflow, wrap around or round the position.
 */
export function assertPositionAvailable(store: string, lastPosition: bigint): void {
  if (lastPosition > MAX_POSITION) throw new PositionsExhaustedError(store);
}
