import { beforeAll, describe, expect, it } from 'vitest';
import { type KitFileResult, runKitFixtures } from './kit-runner.js';

/** Each broken store in test/broken, and a topic of the kit that must catch it. */
const BROKEN: [fixture: string, topic: string][] = [
  ['skips-expected-version', 'expected version'],
  ['read-all-drops-event', 'readAll'],
  ['read-all-reorders', 'readAll'],
  ['half-writing-batch', 'batch atomicity'],
  ['read-stream-skips-from', 'readStream'],
  ['racy-version-check', 'concurrency'],
  ['non-idempotent-retry', 'idempotency'],
  ['read-streams-omits-missing', 'readStreams'],
  ['leaks-driver-errors', 'unavailability'],
  ['ignores-stream-type', 'append basics'],
  ['late-commit', 'tailing reader'],
  ['appended-events-off-by-one', 'append basics'],
  ['storage-id-per-instance', 'storage id (storageId(), optional)'],
];
// Not here: a readStreams that sends one query per stream gives the right answers, only slowly;
// the kit checks behaviour, not round trips.

describe('the kit catches broken adapters', () => {
  let results: Map<string, KitFileResult>;

  beforeAll(async () => {
    results = await runKitFixtures();
  }, 300_000);

  function resultOf(fixture: string): KitFileResult {
    const result = results.get(fixture);
    if (result === undefined) throw new Error(`no result for test/fixtures/${fixture}.fixture.ts`);
    return result;
  }

  it('the correct reference store passes every test of the kit, none skipped', () => {
    const { tests, message } = resultOf('reference');
    expect(message).toBe('');
    expect(tests.length).toBeGreaterThan(50);
    const notPassed = tests.filter((t) => t.status !== 'passed').map((t) => `${t.status}: ${t.title}`);
    expect(notPassed).toEqual([]);
  });

  it.each(BROKEN)('%s fails the kit, in the %s topic among others', (fixture, topic) => {
    const { tests, message } = resultOf(fixture);
    // Failed tests, not a file that did not load: the kit ran and found the fault.
    expect(message).toBe('');
    expect(tests.length).toBe(resultOf('reference').tests.length);
    const failedTopics = new Set(tests.filter((t) => t.status === 'failed').map((t) => t.ancestorTitles[1]));
    expect(failedTopics.size).toBeGreaterThan(0);
    expect([...failedTopics]).toContain(topic);
  });

  it('a store without AppendResult.events passes, its tests of that field visibly skipped', () => {
    const { tests, message } = resultOf('without-appended-events');
    expect(message).toBe('');
    expect(tests.length).toBe(resultOf('reference').tests.length);
    expect(tests.filter((t) => t.status === 'failed').map((t) => t.title)).toEqual([]);
    const skipped = tests.filter((t) => t.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    for (const test of skipped) expect(test.title).toContain('result.events');
    expect(skipped.map((t) => t.ancestorTitles.at(-1))).toEqual(
      skipped.map(() => 'the events an append returns (AppendResult.events, optional)'),
    );
  });

  it('every fixture file is covered by this test', () => {
    const covered = ['reference', 'without-appended-events', ...BROKEN.map(([fixture]) => fixture)];
    expect([...results.keys()].sort()).toEqual(covered.sort());
  });
});
