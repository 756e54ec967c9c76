// Runs in a child Node process (see exports-check.js), so packages load from their built files
// through their `exports` maps, as users load them. Each probe returns plain facts as JSON; the
// test asserts on them, so a failure shows a diff instead of a crashed child.
import { randomUUID } from 'node:crypto';
import { inspect, isDeepStrictEqual } from 'node:util';

const OTHER_SYSTEM = { import: 'require', require: 'import' };

/** Arguments every exported error class accepts: each constructor takes strings (or ignores them). */
const ERROR_ARGS = ['a', 'b', 'c'];

// A stored "__proto__" key must come back as an own key; JSON.parse makes it one.
const PAYLOAD_TEXT =
  '{"text":"Strata ✓ 漢字 🧪","n":1.5,"list":[1,null,true,""],"nested":{"__proto__":{"isAdmin":true},"deep":[{}]}}';

export async function probe(task, load) {
  const module = await load[task.system](task.specifier);
  switch (task.kind) {
    case 'names':
      return Object.keys(module);
    case 'errors':
      return errorFacts(module);
    case 'copies':
      return copyFacts(module, await load[OTHER_SYSTEM[task.system]](task.specifier));
    case 'round-trip':
      return roundTripFacts(module, task, load);
    default:
      throw new Error(`unknown probe ${task.kind}`);
  }
}

function errorClassesOf(module) {
  return Object.entries(module).filter(
    ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
  );
}

function errorFacts(module) {
  return errorClassesOf(module).map(([exportName, ErrorClass]) => {
    const error = new ErrorClass(...ERROR_ARGS);
    return {
      exportName,
      name: error.name,
      firstLine: String(error.stack).split('\n')[0],
      // What console.log and an uncaught error print: it takes the class's own name too.
      printed: inspect(error).split('\n')[0],
      code: error.code,
      staticCode: ErrorClass.code,
      recognisesItself: typeof ErrorClass.isInstance === 'function' ? ErrorClass.isInstance(error) : null,
    };
  });
}

/** `isInstance` of each class in one copy, for an error of the same class built by the other copy. */
function copyFacts(module, other) {
  const classes = errorClassesOf(module);
  const codes = new Set(classes.map(([, ErrorClass]) => ErrorClass.code).filter(Boolean));
  return classes.map(([exportName, ErrorClass]) => {
    const OtherClass = other[exportName];
    const foreign = new OtherClass(...ERROR_ARGS);
    // A class with another code must not claim it.
    const unrelated = classes.find(
      ([, candidate]) => candidate.code !== undefined && candidate.code !== ErrorClass.code,
    );
    return {
      exportName,
      distinctCopies: OtherClass !== ErrorClass,
      recognisesOtherCopy: ErrorClass.isInstance(foreign),
      otherCopyRecognisesThis: OtherClass.isInstance(new ErrorClass(...ERROR_ARGS)),
      unrelatedClaimsIt:
        codes.size > 1 && ErrorClass.code !== undefined ? unrelated[1].isInstance(foreign) : false,
    };
  });
}

/** Appends one event, reads it back and provokes a ConcurrencyError, on a store the package test opens. */
async function roundTripFacts(module, task, load) {
  const open = new Function(`return (${task.openSource});`)();
  const core = await load[task.system]('@strata/core');
  const otherCore = await load[OTHER_SYSTEM[task.system]]('@strata/core');
  const { store, drop } = await open(module, load);
  const streamId = `exports-check-${randomUUID()}`;
  const data = JSON.parse(PAYLOAD_TEXT);
  const metadata = { correlationId: randomUUID() };
  try {
    const result = await store.append(streamId, [{ type: 'exports.checked', data, metadata }], {
      expectedVersion: 'no_stream',
    });
    const read = await store.readStream(streamId);
    let conflict;
    try {
      await store.append(streamId, [{ type: 'exports.checked', data: null }], {
        expectedVersion: 'no_stream',
      });
    } catch (error) {
      conflict = error;
    }
    return {
      result: {
        firstVersion: result.firstVersion,
        lastVersion: result.lastVersion,
        lastPositionIsBigint: typeof result.lastPosition === 'bigint',
      },
      read: read.map((event) => ({
        type: event.type,
        version: event.version,
        atResultPosition: event.position === result.lastPosition,
        dataAsAppended: isDeepStrictEqual(event.data, data),
        data: event.data,
        metadataAsAppended: isDeepStrictEqual(event.metadata, metadata),
        occurredAtIsDate: event.occurredAt instanceof Date,
      })),
      conflict: {
        name: conflict?.name,
        code: conflict?.code,
        firstLine: String(conflict?.stack).split('\n')[0],
        printed: inspect(conflict).split('\n')[0],
        recognisedBySameCore: core.ConcurrencyError.isInstance(conflict),
        recognisedByOtherCore: otherCore.ConcurrencyError.isInstance(conflict),
      },
    };
  } finally {
    await store.close();
    await drop?.();
  }
}
