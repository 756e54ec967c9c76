import { ValidationError } from '@strata/core';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive hot-tier failures that open the breaker; defaults to 3. */
  failureThreshold?: number;
  /** How long the breaker stays open before it probes the hot tier; defaults to 1,000 ms. */
  openMs?: number;
}

export interface NormalizedBreakerOptions {
  failureThreshold: number;
  openMs: number;
}

export function normalizeBreakerOptions(options: CircuitBreakerOptions = {}): NormalizedBreakerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options.breaker', 'must be an object');
  }
  const failureThreshold = options.failureThreshold ?? 3;
  if (!Number.isSafeInteger(failureThreshold) || failureThreshold < 1) {
    throw new ValidationError('options.breaker.failureThreshold', 'must be an integer >= 1');
  }
  const openMs = options.openMs ?? 1_000;
  if (!Number.isSafeInteger(openMs) || openMs < 1 || openMs > 2 ** 31 - 1) {
    throw new ValidationError('options.breaker.openMs', 'must be an integer between 1 and 2147483647');
  }
  return { failureThreshold, openMs };
}

/**
 * Keeps calls away from a hot tier that is down. `closed`: calls go through; `failureThreshold`
 * consecutive failures open it. `open`: no call goes to the hot tier; after `openMs` the breaker
 * turns `half-open` and runs `probe` alone (user calls still skip the hot tier). The probe's
 * success closes it, its failure opens it for another `openMs`: it keeps probing until the hot
 * tier is back, on a timer that does not keep the process alive.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly options: NormalizedBreakerOptions,
    private readonly probe: () => Promise<void>,
    private readonly onChange: (state: BreakerState, previous: BreakerState) => void,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  /** Whether a call may go to the hot tier now. */
  get allows(): boolean {
    return this.current === 'closed';
  }

  success(): void {
    if (this.current === 'closed') this.failures = 0;
  }

  failure(): void {
    if (this.current !== 'closed') return;
    this.failures++;
    if (this.failures >= this.options.failureThreshold) this.open();
  }

  /** Stops probing; the breaker no longer changes state. Waits for a probe in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.probing;
  }

  private open(): void {
    if (this.stopped) return;
    this.set('open');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.probing = this.runProbe();
    }, this.options.openMs);
    this.timer.unref();
  }

  private async runProbe(): Promise<void> {
    if (this.stopped) return;
    this.set('half-open');
    let ok = false;
    try {
      await this.probe();
      ok = true;
    } catch {
      // Still down: open again and probe later.
    }
    this.probing = undefined;
    if (this.stopped) return;
    if (ok) {
      this.failures = 0;
      this.set('closed');
    } else {
      this.open();
    }
  }

  private set(state: BreakerState): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    this.onChange(state, previous);
  }
}
