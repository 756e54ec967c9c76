// The crash scenario for at-least-once runners that save their checkpoint on a cadence: a runner
// process catching up (batches of CADENCE_BATCH, a save every CADENCE_EVENTS events) is killed with
// SIGKILL between two saves, twice, then restarted to the end. The checkpoint must be where the
// cadence put it, no event may be lost, and exactly the events after the last save, up to the last
// one applied, are applied again by the next run. The engine brings its child script and read model.
import { expect, it } from 'vitest';
import { killableRunnerChild } from './killable-runner-child.js';

/** Events per batch of the child's runner. */
export const CADENCE_BATCH = 10;
/** The child's `checkpointEvery.events`: a save after every second batch while catching up. */
export const CADENCE_EVENTS = 20;
/** How long the child's handler waits after each event, so the parent's kill lands in that wait. */
const HANDLER_DELAY_MS = 80;
const PROJECTOR = 'cadence-crash';
const EVENT_TYPE = 'counted';
const EVENTS = 100;
/**
 * Each kill: the n-th event after the saved checkpoint (inside a batch, seven events before the next
 * save is due) and how many events the run has saved by then: whole CADENCE_EVENTS steps, where a
 * save after every batch would have saved 30 and 50.
 */
const KILLS = [
  { at: 33, saved: 20 },
  { at: 53, saved: 40 },
];

export function describeAtLeastOnceCrash(options) {
  const { childScript, childArgs, store, createReadModel, readModel } = options;
  const runChild = killableRunnerChild({
    childScript,
    childArgs,
    prefix: 'strata-cadence-',
    runnerArgs: {
      projector: PROJECTOR,
      eventType: EVENT_TYPE,
      batchSize: CADENCE_BATCH,
      delayMs: HANDLER_DELAY_MS,
      checkpointEvents: CADENCE_EVENTS,
    },
  });

  it('an at-least-once runner killed between checkpoint saves applies again only what followed the last save, and loses nothing', async () => {
    await createReadModel();
    for (let i = 0; i < EVENTS / 10; i++) {
      const events = Array.from({ length: 10 }, () => ({ type: EVENT_TYPE, data: {} }));
      await store().append(`counter-${i % 3}`, events);
    }
    const positions = (await store().readAll()).map((event) => event.position);
    const checkpoint = async () => (await store().checkpoints.loadCheckpoint(PROJECTOR)) ?? 0n;
    /** Applications each event should have: one, plus one for each kill it fell between the save and the last applied. */
    const expected = (spans) =>
      positions.map((p) => ({
        position: Number(p),
        applications: 1 + spans.filter(({ saved, applied }) => p > saved && p <= applied).length,
      }));
    const spans = [];

    for (const [run, kill] of KILLS.entries()) {
      const before = await checkpoint();
      const pending = positions.filter((p) => p > before);
      expect(await runChild(run, pending[kill.at - 1])).toBeNull();
      const saved = await checkpoint();
      expect(saved).toBe(pending[kill.saved - 1]);
      const rows = await readModel();
      const applied = BigInt(rows.at(-1).position);
      expect(applied).toBeGreaterThanOrEqual(pending[kill.at - 1]);
      // Up to the last event applied: what earlier kills left to apply again, and nothing skipped.
      expect(rows).toEqual(expected(spans).filter((row) => BigInt(row.position) <= applied));
      spans.push({ saved, applied });
    }
    expect(await runChild(KILLS.length)).toBe(0);
    expect(await checkpoint()).toBe(positions.at(-1));
    expect(await readModel()).toEqual(expected(spans));
  }, 180_000);
}
