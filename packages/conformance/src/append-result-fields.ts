import type { AppendResult } from '@strata/core';

/**
 * The fields every append result has, for comparing a retry's result with the original's:
 * `events` is optional and absent on a retry (which recorded nothing new), so a whole-object
 * comparison would fail an adapter that returns them as a plain property.
 */
export function resultFields({ streamId, firstVersion, lastVersion, lastPosition }: AppendResult) {
  return { streamId, firstVersion, lastVersion, lastPosition };
}
