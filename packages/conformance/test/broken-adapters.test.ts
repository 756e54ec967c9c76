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
  ['copies-payload-by-key', 'payload fidelity'],
  ['filters-types-through-object', 'payload fidelity'],
  ['id-check-races', 'concurrency'],
  ['id-check-races', 'two instances'],
  ['instance-lock-only', 'two instances'],
  ['chunk-committing', 'batch atomicity'],
  ['read-all-inclusive-after', 'readAll'],
  ['read-all-caps-unlimited', 'readAll'],
  ['case-folding-types', 'readAll'],
  ['case-folding-ids', 'idempotency'],
  ['unavailable-without-cause', 'unavailability'],
  ['random-uuid-ids', 'append basics'],
  ['epoch-occurred-at', 'append basics'],
  ['mangles-unstorable-names', 'validation'],
  ['never-recovers', 'unavailability'],
  ['reads-after-close', 'unavailability'],
  ['shares-read-objects', 'payload fidelity'],
  ['shares-read-objects', 'fresh read results'],
  ['shallow-copies-reads', 'fresh read results'],
  ['wrong-existing-stream', 'idempotency'],
  ['leaks-failed-reservation', 'batch atomicity'],
  ['positions-through-doubles', 'positions near 2^53 and 2^63'],
  ['fails-whole-group', 'an append the storage refuses'],
  ['lock-timeout-as-conflict', 'concurrency'],
  ['storage-id-per-instance', 'storage id (storageId(), optional)'],
  ['late-commit', 'last position (lastPosition(), optional)'],
  ['last-position-per-instance', 'last position (lastPosition(), optional)'],
  ['last-position-one-ahead', 'last position (lastPosition(), optional)'],
  ['rewrite-ignores-guard', 'event rewrite (rewriteEvent(), optional)'],
  ['rewrite-writes-before-guard', 'event rewrite (rewriteEvent(), optional)'],
  ['rewrite-touches-recorded-at', 'event rewrite (rewriteEvent(), optional)'],
  ['rewrite-skips-log', 'event rewrite (rewriteEvent(), optional)'],
  ['rewrite-batch-one-by-one', 'event rewrite batch (rewriteEvents(), optional)'],
];
/** Broken snapshot, checkpoint and key stores (all in test/fixtures/store-kits.fixture.ts), and the kit that must catch each. */
const STORE_KIT_BROKEN: [kit: string, store: string, failingTest: string][] = [
  ['snapshot', 'deletes-across-streams', "deleting one stream's snapshots leaves every other stream's"],
  ['snapshot', 'one-snapshot-filter', 'loads the newest snapshot, at or below maxVersion'],
  ['checkpoint', 'deletes-every-checkpoint', 'keeps names apart, in saving and in deleting'],
  [
    'checkpoint',
    'ignores-expected-position',
    'a compare-and-set save writes only from the expected position',
  ],
  ['checkpoint', 'check-then-write', 'writers racing from one expected position: exactly one wins'],
  ['checkpoint', 'check-then-write', 'two first writers expecting no checkpoint at once: exactly one wins'],
  ['checkpoint', 'accepts-lower-fence', 'a lower fence is refused; an equal or higher one is accepted'],
  ['checkpoint', 'keeps-first-fence', 'a lower fence is refused; an equal or higher one is accepted'],
  ['checkpoint', 'conflict-before-fence', 'fence and compare-and-set together: both must hold'],
  ['dead-letter', 'duplicates-dead-letters', 'adding the same projector and position again replaces'],
  ['dead-letter', 'removes-across-projectors', 'keeps projectors apart in listing, counting and removing'],
  ['dead-letter', 'orders-dead-letters-as-text', 'pages through letters with an exclusive after'],
  ['key', 'check-then-create', 'writers creating one subject key at once: one key is stored'],
  ['key', 'overwrites-on-create', 'a create of an existing version keeps the stored key'],
  ['key', 'overwrites-on-create', 'writers creating one subject key at once: one key is stored'],
  ['key', 'rewrap-resurrects', 'a re-wrap of a destroyed key writes nothing'],
  ['key', 'lists-by-text', 'lists every key once, in (subject, version) order'],
  ['key', 'mixes-orders', 'pages past characters above U+FFFF, visiting every key once'],
  ['key', 'destroys-by-prefix', 'keeps subjects apart, in creating and in destroying'],
  ['lease', 'check-then-take', 'acquirers racing on several providers: exactly one holds the lease'],
  ['lease', 'constant-fence', 'fences grow with every acquisition'],
  ['lease', 'constant-fence', 'acquirers racing on several providers'],
  ['lease', 'never-frees-dead', 'a holder cut off like a killed process is replaced within takeoverBoundMs'],
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

  it('the check every append runs names a ConcurrencyError whose expected version held', () => {
    const { tests } = resultOf('lock-timeout-as-conflict');
    const messages = tests.flatMap((t) => t.failureMessages);
    expect(messages.some((m) => m.includes('must mean the expected version was wrong'))).toBe(true);
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

  it('a store serializing appends only inside one instance fails nothing but the two-instances topic', () => {
    // Why createPeer matters: every single-instance race passes without any check in storage.
    const { tests } = resultOf('instance-lock-only');
    const failedTopics = new Set(tests.filter((t) => t.status === 'failed').map((t) => t.ancestorTitles[1]));
    expect([...failedTopics]).toEqual(['two instances']);
  });

  it('a store handing out shallow copies of cached events fails nothing but the fresh read results topic', () => {
    // Why the topic exists: every other check compares values, and the values are right.
    const { tests } = resultOf('shallow-copies-reads');
    const failedTopics = new Set(tests.filter((t) => t.status === 'failed').map((t) => t.ancestorTitles[1]));
    expect([...failedTopics]).toEqual(['fresh read results']);
  });

  it('without createPeer, one skipped test says that only a second instance proves atomicity', () => {
    const { tests, message } = resultOf('without-peer');
    expect(message).toBe('');
    expect(tests.filter((t) => t.status === 'failed').map((t) => t.title)).toEqual([]);
    const skipped = tests.filter((t) => t.status === 'skipped').map((t) => t.title);
    // One skipped test per topic that needs an option the fixture leaves out: two instances and
    // the storage id and the last position across instances (createPeer), outage, seedPosition
    // (exact positions and the last position past 2^53) and refusedEvent.
    expect(skipped, skipped.join('\n')).toHaveLength(7);
    const withoutPeer = skipped.filter((title) => title.startsWith('needs options.createPeer'));
    expect(withoutPeer).toHaveLength(3);
    expect(
      withoutPeer.filter((title) =>
        /proves that the version check and the write are one atomic step/.test(title),
      ),
    ).toHaveLength(1);
  });

  it.each(STORE_KIT_BROKEN)('the %s kit catches %s in "%s"', (_kit, store, failingTest) => {
    const { tests, message } = resultOf('store-kits');
    expect(message).toBe('');
    const own = tests.filter((t) => t.ancestorTitles[0] === store);
    expect(own.length).toBeGreaterThan(0);
    const failed = own.filter((t) => t.status === 'failed').map((t) => t.title);
    expect(failed.some((title) => title.startsWith(failingTest))).toBe(true);
  });

  it('every fixture file is covered by this test', () => {
    const covered = [
      'reference',
      'without-appended-events',
      'without-peer',
      'store-kits',
      ...BROKEN.map(([fixture]) => fixture),
    ];
    expect([...results.keys()].sort()).toEqual([...new Set(covered)].sort());
  });
});
