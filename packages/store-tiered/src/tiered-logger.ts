/** Where the tiered store reports hot-tier outages; `console` fits. */
export interface TieredLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
}

/**
 * Logs a hot-tier outage once when it starts and once when it ends, however many calls fail in
 * between: during an outage every call would fail, and a log line per call would bury the cause.
 */
export class OutageLog {
  private failuresInOutage = 0;

  constructor(private readonly logger: TieredLogger | undefined) {}

  failure(operation: string, error: unknown): void {
    this.failuresInOutage++;
    if (this.failuresInOutage > 1) return;
    this.logger?.warn(
      '[strata] [tiered] the hot tier is failing; reads and appends continue on the warm store',
      { operation, error: error instanceof Error ? error.message : String(error) },
    );
  }

  recovered(): void {
    if (this.failuresInOutage === 0) return;
    const failedCalls = this.failuresInOutage;
    this.failuresInOutage = 0;
    this.logger?.info?.('[strata] [tiered] the hot tier answers again', { failedCalls });
  }
}
