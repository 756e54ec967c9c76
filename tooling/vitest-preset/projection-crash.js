// The crash scenario every SQL engine runs for exactly-once projections (store-sqlite,
// store-postgres, store-mysql): a runner process with a slow handler is killed with SIGKILL in the
// middle of a batch, several times at different points, then restarted to the end; every event
// must be applied exactly once. The engine brings its child script and its read model.
import { expect, it } from 'vitest';
import { killableRunnerChild } from './killable-runner-child.js';

/** Events per batch of the child's runner. */
export const CRASH_BATCH = 10;
/** How long the child's handler waits after each event: the parent's kill lands well inside it. */
export const CRASH_HANDLER_DELAY_MS = 100;
const PROJECTOR = 'crash';
const EVENT_TYPE = 'counted';

/** Kill points: (batch after the checkpoint, event within it): the first, a middle and the last. */
const KILL_POINTS = [
  [0, 1],
  [1, 5],
  [0, CRASH_BATCH],
  [2, 3],
];

export function describeExactlyOnceCrash(options) {
  const { childScript, childArgs, store, createReadModel, readModel } = options;
  const runChild = killableRunnerChild({
    childScript,
    childArgs,
    prefix: 'strata-crash-',
    runnerArgs: {
      projector: PROJECTOR,
      eventType: EVENT_TYPE,
      batchSize: CRASH_BATCH,
      delayMs: CRASH_HANDLER_DELAY_MS,
    },
  });

  it('an exactly-once runner killed with SIGKILL mid-batch, at different points, applies every event once', async () => {
    await createReadModel();
    for (let i = 0; i < 6; i++) {
      const events = Array.from({ length: 10 }, () => ({ type: EVENT_TYPE, data: {} }));
      await store().append(`counter-${i % 3}`, events);
    }
    const positions = (await store().readAll()).map((event) => event.position);
    const checkpoint = async () => (await store().checkpoints.loadCheckpoint(PROJECTOR)) ?? 0n;
    /** The read model holds every event up to the checkpoint, each applied once, and nothing after it. */
    const expectConsistent = async () => {
      const saved = await checkpoint();
      expect(await readModel()).toEqual(
        positions.filter((p) => p <= saved).map((p) => ({ position: Number(p), applications: 1 })),
      );
      return saved;
    };

    for (const [run, [batch, event]] of KILL_POINTS.entries()) {
      const before = await checkpoint();
      const pending = positions.filter((p) => p > before);
      expect(await runChild(run, pending[batch * CRASH_BATCH + event - 1])).toBeNull();
      const saved = await expectConsistent();
      // The batches before the killed one committed; the killed one left nothing behind (or, when
      // the kill came after its last event, at most its own commit).
      const committedBefore = batch === 0 ? before : pending[batch * CRASH_BATCH - 1];
      const allowed =
        event === CRASH_BATCH ? [committedBefore, pending[(batch + 1) * CRASH_BATCH - 1]] : [committedBefore];
      expect(allowed).toContain(saved);
    }
    expect(await runChild(KILL_POINTS.length)).toBe(0);
    expect(await expectConsistent()).toBe(positions.at(-1));
    expect(await readModel()).toHaveLength(positions.length);
  }, 180_000);
}
