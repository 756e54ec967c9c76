import type { BenchScale } from '../bench-scale.js';

/**
 * Every commit waits for a network round trip and the server's log flush, so appends run at about
 * a tenth of SQLite's rate: fewer of them keep a full run of every target under ten minutes.
 * Reads keep their full size (they are fast, and their seeds are loaded once).
 */
export function scaleForServer(scale: BenchScale): BenchScale {
  return {
    ...scale,
    singleAppends: Math.max(1, Math.floor(scale.singleAppends / 4)),
    batchEvents: Math.max(scale.batchSize, Math.floor(scale.batchEvents / 2)),
  };
}
