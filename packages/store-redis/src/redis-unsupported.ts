import { UnsupportedOperationError } from '@strata/core';
import { STORE_NAME } from './redis-connection.js';

/**
 * A Redis Cluster has no key that every append can update atomically together with its stream, so
 * there is no gap-free global order to read.
 */
export function unsupportedInCluster(operation: string): UnsupportedOperationError {
  return new UnsupportedOperationError(
    STORE_NAME,
    operation,
    'a Redis Cluster keeps no global log. Read streams with readStream/readStreams, or use a standalone Redis ' +
      '(or another store) where the global order is needed.',
  );
}
