import { type DeadLetter, type DeadLetterStore, MAX_POSITION, MAX_VERSION } from '@strata/core';
import { describe, expect } from 'vitest';
import { kitTest } from './kit-test.js';
import { type StoreKitOptions, useStores, validationPath } from './snapshot-store-kit.js';
import { uniqueStreamId } from './unique-names.js';

type NewDeadLetter = Omit<DeadLetter, 'failedAt'> & { failedAt?: Date };

function letterOf(projector: string, position: bigint, extra: Partial<NewDeadLetter> = {}): NewDeadLetter {
  return {
    projector,
    position,
    eventId: `event-${position}`,
    streamId: `stream-${position}`,
    version: 1,
    eventType: 'order.placed',
    error: { name: 'Error', message: `failed at ${position}`, stack: null },
    attempts: 1,
    failedAt: new Date('2026-05-06T07:08:09.123Z'),
    ...extra,
  };
}

/** Every page of one projector's letters, `limit` at a time, with a bound on the pages. */
async function listAll(store: DeadLetterStore, projector: string, limit: number): Promise<DeadLetter[]> {
  const all: DeadLetter[] = [];
  let after: bigint | undefined;
  for (let page = 0; ; page++) {
    if (page > 1000) throw new Error('listDeadLetters never ran out of pages: does `after` move on?');
    const letters = await store.listDeadLetters(projector, {
      limit,
      ...(after === undefined ? {} : { after }),
    });
    expect(letters.length).toBeLessThanOrEqual(limit);
    if (letters.length === 0) return all;
    all.push(...letters);
    after = letters.at(-1)!.position;
  }
}

/**
 * The `DeadLetterStore` contract: one letter per (projector, position), replaced when added again;
 * listed per projector in position order, in pages; counted; removed one at a time; every field
 * round-trips exactly.
 */
export function describeDeadLetterStore(name: string, options: StoreKitOptions<DeadLetterStore>): void {
  describe(name, () => {
    const open = useStores(options);

    kitTest('adds, lists in position order, counts and removes dead letters', async () => {
      const store = await open();
      const projector = uniqueStreamId('projector');
      expect(await store.listDeadLetters(projector)).toEqual([]);
      expect(await store.countDeadLetters(projector)).toBe(0);
      for (const position of [30n, 10n, 20n]) await store.addDeadLetter(letterOf(projector, position));
      const listed = await store.listDeadLetters(projector);
      expect(listed.map((letter) => letter.position)).toEqual([10n, 20n, 30n]);
      expect(listed[0]).toEqual({ ...letterOf(projector, 10n) });
      expect(await store.countDeadLetters(projector)).toBe(3);
      expect(await store.removeDeadLetter(projector, 20n)).toBe(true);
      expect(await store.removeDeadLetter(projector, 20n)).toBe(false);
      expect((await store.listDeadLetters(projector)).map((letter) => letter.position)).toEqual([10n, 30n]);
      expect(await store.countDeadLetters(projector)).toBe(2);
    });

    kitTest(
      'adding the same projector and position again replaces the letter, never duplicates it',
      async () => {
        const store = await open();
        const projector = uniqueStreamId('projector');
        await store.addDeadLetter(letterOf(projector, 5n));
        const retried = letterOf(projector, 5n, {
          attempts: 4,
          error: { name: 'TypeError', message: 'still failing', stack: 'TypeError: still failing\n    at x' },
          failedAt: new Date('2026-05-06T07:09:00.001Z'),
        });
        await store.addDeadLetter(retried);
        expect(await store.listDeadLetters(projector)).toEqual([retried]);
        expect(await store.countDeadLetters(projector)).toBe(1);
      },
    );

    kitTest('pages through letters with an exclusive after, visiting each once', async () => {
      const store = await open();
      const projector = uniqueStreamId('projector');
      // Positions whose decimal text sorts differently from their value.
      const positions = [9n, 10n, 11n, 100n, 2n ** 53n + 1n, 2n ** 53n + 2n, MAX_POSITION];
      for (const position of [...positions].reverse())
        await store.addDeadLetter(letterOf(projector, position));
      for (const limit of [1, 2, 3, 100]) {
        expect((await listAll(store, projector, limit)).map((letter) => letter.position)).toEqual(positions);
      }
      const after = await store.listDeadLetters(projector, { after: 10n, limit: 2 });
      expect(after.map((letter) => letter.position)).toEqual([11n, 100n]);
      expect(await store.listDeadLetters(projector, { after: MAX_POSITION })).toEqual([]);
    });

    kitTest('keeps projectors apart in listing, counting and removing', async () => {
      const store = await open();
      const [a, b] = [uniqueStreamId('projector-a'), uniqueStreamId('projector-b')];
      await store.addDeadLetter(letterOf(a, 1n));
      await store.addDeadLetter(letterOf(b, 1n, { attempts: 2 }));
      await store.addDeadLetter(letterOf(b, 2n));
      expect(await store.removeDeadLetter(a, 2n)).toBe(false);
      expect(await store.removeDeadLetter(a, 1n)).toBe(true);
      expect(await store.countDeadLetters(a)).toBe(0);
      expect(await store.countDeadLetters(b)).toBe(2);
      expect((await store.listDeadLetters(b)).map((letter) => [letter.position, letter.attempts])).toEqual([
        [1n, 2],
        [2n, 1],
      ]);
    });

    kitTest('round-trips every field exactly', async () => {
      const store = await open();
      const projector = uniqueStreamId('projector-ünï');
      const letter = letterOf(projector, MAX_POSITION, {
        eventId: 'e-🎉-"quoted"',
        streamId: 'stream \\ back',
        version: MAX_VERSION,
        eventType: 'type.with.ümlaut',
        error: {
          name: 'Ärger',
          message: 'line 1\nline 2 🎉 "q" \\',
          stack: 'Ärger: x\n    at y (file.ts:1:2)',
        },
        attempts: MAX_VERSION,
        failedAt: new Date('1999-12-31T23:59:59.999Z'),
      });
      await store.addDeadLetter(letter);
      expect(await store.listDeadLetters(projector)).toEqual([letter]);
      const { failedAt: _, ...withoutTime } = letterOf(projector, 0n);
      const before = Date.now();
      await store.addDeadLetter(withoutTime);
      const [defaulted] = await store.listDeadLetters(projector, { limit: 1 });
      expect(defaulted?.failedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(defaulted?.failedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    });

    kitTest('rejects bad input with a ValidationError and stores nothing', async () => {
      const store = await open();
      const projector = uniqueStreamId('projector');
      const add = (extra: Record<string, unknown>) =>
        store.addDeadLetter({ ...letterOf(projector, 1n), ...extra } as NewDeadLetter);
      const bad: Array<[() => Promise<unknown>, string]> = [
        [() => add({ projector: '' }), 'deadLetter.projector'],
        [() => add({ position: 2n ** 63n }), 'deadLetter.position'],
        [() => add({ position: 1 }), 'deadLetter.position'],
        [() => add({ version: -1 }), 'deadLetter.version'],
        [() => add({ attempts: 0 }), 'deadLetter.attempts'],
        [() => add({ error: { name: 'E', message: 'nul\u0000', stack: null } }), 'deadLetter.error.message'],
        [() => add({ error: 'boom' }), 'deadLetter.error'],
        [() => store.listDeadLetters(projector, { limit: 0 }), 'options.limit'],
        [() => store.listDeadLetters(projector, { after: -1n }), 'options.after'],
        [() => store.listDeadLetters(''), 'projector'],
        [() => store.countDeadLetters(''), 'projector'],
        [() => store.removeDeadLetter(projector, -1n), 'position'],
      ];
      for (const [run, path] of bad) expect(await validationPath(run)).toBe(path);
      expect(await store.countDeadLetters(projector)).toBe(0);
    });
  });
}
