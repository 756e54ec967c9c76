// Adapters run the kit under their own vitest config, whose default timeout (5 s) is too short for
// a remote database; every kit test sets its own.

/** Per test of an ordinary topic. */
export const TEST_TIMEOUT_MS = 60_000;

/** Per test of the large-stream and model-based topics. */
export const HEAVY_TEST_TIMEOUT_MS = 600_000;
