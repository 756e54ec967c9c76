// The child side of projection-cadence-crash: an at-least-once runner process, saving its checkpoint
// every `checkpointEvents` events while it catches up, that counts each application in the engine's
// read model (a write of its own, committed at once), logs the position it just applied and pauses
// after each event, so the parent's SIGKILL lands between two checkpoint saves.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The parent's side of `parseCadenceChildArgs`: the child's argv, the engine's own arguments first. */
export function cadenceChildArgv(engineArgs, args) {
  const { projector, eventType, progressFile, batchSize, delayMs, checkpointEvents } = args;
  return [
    ...engineArgs,
    projector,
    eventType,
    progressFile,
    String(batchSize),
    String(delayMs),
    String(checkpointEvents),
  ];
}

/** The child's arguments: the engine's own first (where its storage is), then the six the kit gives every engine. */
export function parseCadenceChildArgs(argv) {
  const [projector, eventType, progressFile, batchSize, delayMs, checkpointEvents] = argv.slice(-6);
  return {
    engineArgs: argv.slice(0, -6),
    projector,
    eventType,
    progressFile,
    batchSize: Number(batchSize),
    delayMs: Number(delayMs),
    checkpointEvents: Number(checkpointEvents),
  };
}

export async function runCadenceCrashChild({ projections, store, args, countApplication }) {
  const { defineProjector, ProjectionRunner } = projections;
  const projector = defineProjector({
    name: args.projector,
    handlers: {
      [args.eventType]: async (_data, event) => {
        await countApplication(event);
        appendFileSync(args.progressFile, `${event.position}\n`);
        await sleep(args.delayMs);
      },
    },
  });
  const runner = new ProjectionRunner({
    store,
    checkpoints: store.checkpoints,
    projector,
    batchSize: args.batchSize,
    checkpointEvery: { events: args.checkpointEvents },
  });
  await runner.catchUp();
  await store.close();
}
