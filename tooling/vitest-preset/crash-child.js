// The child side of projection-crash: an exactly-once runner process that counts each application
// in the engine's read model through the batch's transaction, logs the position it just applied,
// and pauses after each event so the parent's SIGKILL lands inside an open batch. The engine gives
// its store, its read-model write and its pause; the rest is written once.
import { appendFileSync } from 'node:fs';

/** The parent's side of `parseCrashChildArgs`: the child's argv, the engine's own arguments first. */
export function crashChildArgv(engineArgs, { projector, eventType, progressFile, batchSize, delayMs }) {
  return [...engineArgs, projector, eventType, progressFile, String(batchSize), String(delayMs)];
}

/** The child's arguments: the engine's own first (where its storage is), then the five `childArgs` gives every engine. */
export function parseCrashChildArgs(argv) {
  const [projector, eventType, progressFile, batchSize, delayMs] = argv.slice(-5);
  return {
    engineArgs: argv.slice(0, -5),
    projector,
    eventType,
    progressFile,
    batchSize: Number(batchSize),
    delayMs: Number(delayMs),
  };
}

export async function runCrashChild({ projections, store, args, countApplication, pause }) {
  const { defineProjector, ProjectionRunner } = projections;
  const projector = defineProjector({
    name: args.projector,
    handlers: {
      // Synchronous when the engine's write and pause are (SQLite's transactions must be).
      [args.eventType]: (_data, event, tx) => {
        const logAndPause = () => {
          appendFileSync(args.progressFile, `${event.position}\n`);
          return pause(args.delayMs);
        };
        const counted = countApplication(tx, event);
        return typeof counted?.then === 'function' ? counted.then(logAndPause) : logAndPause();
      },
    },
  });
  // Exactly once: each batch's read-model writes and its checkpoint save commit in one transaction.
  const runner = new ProjectionRunner({
    store,
    checkpoints: store.checkpoints,
    transactions: store.checkpoints,
    projector,
    batchSize: args.batchSize,
  });
  await runner.catchUp();
  await store.close();
}
