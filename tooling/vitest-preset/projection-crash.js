// The crash scenario every SQL engine runs for exactly-once projections (store-sqlite,
// store-postgres, store-mysql): a runner process with a slow handler is killed with SIGKILL in the
// middle of a batch, several times at different points, then restarted to the end; every event
// must be applied exactly once. The engine brings its child script and its read model.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';

/** Events per batch of the child's runner. */
export const CRASH_BATCH = 10;
/** How long the child's handler waits after each event: the parent's kill lands well inside it. */
export const CRASH_HANDLER_DELAY_MS = 100;
/** Liveness bounds for a loaded 2-core machine; nothing here measures speed. */
const LIVENESS_MS = 30_000;
const PROJECTOR = 'crash';
const EVENT_TYPE = 'counted';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kill points: (batch after the checkpoint, event within it): the first, a middle and the last. */
const KILL_POINTS = [
  [0, 1],
  [1, 5],
  [0, CRASH_BATCH],
  [2, 3],
];

export function describeExactlyOnceCrash(options) {
  const { childScript, childArgs, store, createReadModel, readModel } = options;
  // tsx comes from the engine's package, beside its child script.
  const tsx = pathToFileURL(createRequire(childScript).resolve('tsx')).href;
  const progressDir = mkdtempSync(join(tmpdir(), 'strata-crash-'));
  afterAll(() => rmSync(progressDir, { recursive: true, force: true }));

  /** Runs a child to its exit; with `killAt`, kills it with SIGKILL once its handler has applied that position. */
  async function runChild(run, killAt) {
    const progressFile = join(progressDir, `progress-${run}`);
    const args = childArgs({
      projector: PROJECTOR,
      eventType: EVENT_TYPE,
      progressFile,
      batchSize: CRASH_BATCH,
      delayMs: CRASH_HANDLER_DELAY_MS,
    });
    const child = fork(childScript, args, {
      execArgv: ['--import', tsx],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    if (killAt !== undefined) {
      const deadline = Date.now() + LIVENESS_MS;
      const applied = () =>
        existsSync(progressFile) && readFileSync(progressFile, 'utf8').split('\n').includes(String(killAt));
      while (!applied()) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`the runner process never applied position ${killAt}`);
        }
        await sleep(2);
      }
      child.kill('SIGKILL');
    }
    return exited;
  }

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
