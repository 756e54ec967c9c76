/** The part of a ProjectionRunner a runner process reports and stops. */
interface ServedRunner {
  start(): void;
  stop(): Promise<void>;
  status(): { state: string; leaseFence?: bigint | undefined };
}

/** Starts `runner`, reports its state to the parent test, and on 'stop' stops it, runs `close`, and exits. */
export declare function serveRunnerToParent(runner: ServedRunner, close: () => Promise<void> | void): void;
