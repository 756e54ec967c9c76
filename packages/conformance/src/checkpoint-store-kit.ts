import {
  CheckpointConflictError,
  CheckpointFencedError,
  type CheckpointStore,
  type SaveCheckpointOptions,
  StrataError,
} from '@strata/core';
import { describe, expect } from 'vitest';
import { kitTest } from './kit-test.js';
import { describeError, expectRejection, settle } from './outcome.js';
import { type StoreKitOptions, useStores, validationPath } from './snapshot-store-kit.js';
import { uniqueStreamId } from './unique-names.js';

/** How many writers race for one checkpoint, and how many times the race is run. */
const RACERS = 8;
const ROUNDS = 5;

/**
 * The `CheckpointStore` contract: positions saved per name, exactly, up to 2^63 - 1; saves guarded
 * by compare-and-set (`expectedPosition`) and by fencing tokens (`fence`), each checked atomically
 * with the write.
 */
export function describeCheckpointStore(name: string, options: StoreKitOptions<CheckpointStore>): void {
  describe(name, () => {
    const open = useStores(options);

    /** Saves from every racer at once; returns which won, after checking every loser's error. */
    async function race(
      store: CheckpointStore,
      checkpoint: string,
      saves: ReadonlyArray<{ position: bigint; options: SaveCheckpointOptions }>,
    ): Promise<number[]> {
      const outcomes = await Promise.all(
        saves.map((save) => settle(() => store.saveCheckpoint(checkpoint, save.position, save.options))),
      );
      const wrongErrors = outcomes.flatMap((outcome) =>
        !outcome.ok && !CheckpointConflictError.isInstance(outcome.error)
          ? [describeError(outcome.error)]
          : [],
      );
      expect(wrongErrors, 'losers must get CheckpointConflictError').toEqual([]);
      return outcomes.flatMap((outcome, i) => (outcome.ok ? [i] : []));
    }

    kitTest('saves, overwrites, loads and deletes positions by name', async () => {
      const store = await open();
      const name = uniqueStreamId('checkpoint');
      expect(await store.loadCheckpoint(name)).toBeUndefined();
      expect(await store.loadCheckpointState(name)).toBeUndefined();
      await store.saveCheckpoint(name, 42n);
      expect(await store.loadCheckpoint(name)).toBe(42n);
      expect(await store.loadCheckpointState(name)).toEqual({ position: 42n, fence: null });
      await store.saveCheckpoint(name, 0n);
      expect(await store.loadCheckpoint(name)).toBe(0n);
      await store.saveCheckpoint(name, 2n ** 63n - 1n);
      expect(await store.loadCheckpoint(name)).toBe(2n ** 63n - 1n);
      await store.deleteCheckpoint(name);
      expect(await store.loadCheckpoint(name)).toBeUndefined();
      await store.deleteCheckpoint(name);
    });

    kitTest('keeps names apart, in saving and in deleting', async () => {
      const store = await open();
      const [a, b] = [uniqueStreamId('checkpoint'), uniqueStreamId('checkpoint')];
      await store.saveCheckpoint(a, 1n);
      await store.saveCheckpoint(b, 2n);
      expect([await store.loadCheckpoint(a), await store.loadCheckpoint(b)]).toEqual([1n, 2n]);
      await store.deleteCheckpoint(a);
      expect([await store.loadCheckpoint(a), await store.loadCheckpoint(b)]).toEqual([undefined, 2n]);
    });

    kitTest('a compare-and-set save writes only from the expected position, backwards too', async () => {
      const store = await open();
      const name = uniqueStreamId('checkpoint');
      const absent = await expectRejection(
        () => store.saveCheckpoint(name, 5n, { expectedPosition: 0n }),
        CheckpointConflictError,
      );
      expect(absent).toMatchObject({ checkpointName: name, expectedPosition: 0n, actualPosition: null });
      expect(await store.loadCheckpoint(name)).toBeUndefined();

      await store.saveCheckpoint(name, 10n, { expectedPosition: null });
      await store.saveCheckpoint(name, 20n, { expectedPosition: 10n });
      const stale = await expectRejection(
        () => store.saveCheckpoint(name, 30n, { expectedPosition: 10n }),
        CheckpointConflictError,
      );
      expect(stale).toMatchObject({ checkpointName: name, expectedPosition: 10n, actualPosition: 20n });
      const exists = await expectRejection(
        () => store.saveCheckpoint(name, 30n, { expectedPosition: null }),
        CheckpointConflictError,
      );
      expect(exists).toMatchObject({ expectedPosition: null, actualPosition: 20n });
      expect(await store.loadCheckpoint(name)).toBe(20n);

      // A rebuild moves the checkpoint back; saving the position it already has is a success too.
      await store.saveCheckpoint(name, 0n, { expectedPosition: 20n });
      await store.saveCheckpoint(name, 0n, { expectedPosition: 0n });
      expect(await store.loadCheckpoint(name)).toBe(0n);
      await store.deleteCheckpoint(name);
      await store.saveCheckpoint(name, 3n, { expectedPosition: null });
      expect(await store.loadCheckpoint(name)).toBe(3n);
    });

    kitTest('two first writers expecting no checkpoint at once: exactly one wins, every round', async () => {
      const store = await open();
      for (let round = 0; round < ROUNDS; round++) {
        const name = uniqueStreamId('checkpoint-first');
        const saves = Array.from({ length: RACERS }, (_, i) => ({
          position: BigInt(i + 1),
          options: { expectedPosition: null },
        }));
        const winners = await race(store, name, saves);
        expect(winners, `round ${round}: exactly one creator wins`).toHaveLength(1);
        expect(await store.loadCheckpoint(name)).toBe(saves[winners[0]!]!.position);
      }
    });

    kitTest('writers racing from one expected position: exactly one wins, every round', async () => {
      const store = await open();
      const name = uniqueStreamId('checkpoint-race');
      let position = 100n;
      await store.saveCheckpoint(name, position);
      for (let round = 0; round < ROUNDS; round++) {
        const saves = Array.from({ length: RACERS }, (_, i) => ({
          position: position + BigInt(i + 1),
          options: { expectedPosition: position },
        }));
        const winners = await race(store, name, saves);
        expect(winners, `round ${round}: exactly one writer wins`).toHaveLength(1);
        position = saves[winners[0]!]!.position;
        expect(await store.loadCheckpoint(name)).toBe(position);
        position += 100n;
        await store.saveCheckpoint(name, position, { expectedPosition: saves[winners[0]!]!.position });
      }
    });

    kitTest('a lower fence is refused; an equal or higher one is accepted and recorded', async () => {
      const store = await open();
      const name = uniqueStreamId('checkpoint-fence');
      await store.saveCheckpoint(name, 1n, { fence: 5n });
      expect(await store.loadCheckpointState(name)).toEqual({ position: 1n, fence: 5n });
      await store.saveCheckpoint(name, 2n, { fence: 5n });
      const fenced = await expectRejection(
        () => store.saveCheckpoint(name, 3n, { fence: 4n }),
        CheckpointFencedError,
      );
      expect(fenced).toMatchObject({ checkpointName: name, fence: 4n, currentFence: 5n });
      expect(await store.loadCheckpointState(name)).toEqual({ position: 2n, fence: 5n });

      await store.saveCheckpoint(name, 4n, { fence: 2n ** 63n - 1n });
      expect(await store.loadCheckpointState(name)).toEqual({ position: 4n, fence: 2n ** 63n - 1n });
      await expectRejection(() => store.saveCheckpoint(name, 5n, { fence: 6n }), CheckpointFencedError);
      // An unfenced save is not checked against fences and keeps the recorded one.
      await store.saveCheckpoint(name, 6n);
      expect(await store.loadCheckpointState(name)).toEqual({ position: 6n, fence: 2n ** 63n - 1n });
      // Deleting forgets the fence with the position.
      await store.deleteCheckpoint(name);
      await store.saveCheckpoint(name, 7n, { fence: 0n });
      expect(await store.loadCheckpointState(name)).toEqual({ position: 7n, fence: 0n });
    });

    kitTest('fence and compare-and-set together: both must hold, the fence is checked first', async () => {
      const store = await open();
      const name = uniqueStreamId('checkpoint-both');
      await store.saveCheckpoint(name, 10n, { expectedPosition: null, fence: 3n });
      // Stale fence and stale position: the runner learns that it is fenced out.
      await expectRejection(
        () => store.saveCheckpoint(name, 11n, { expectedPosition: 9n, fence: 2n }),
        CheckpointFencedError,
      );
      // A newer holder with a stale position loses the race, and its fence is not recorded.
      const conflict = await expectRejection(
        () => store.saveCheckpoint(name, 11n, { expectedPosition: 9n, fence: 4n }),
        CheckpointConflictError,
      );
      expect(conflict).toMatchObject({ expectedPosition: 9n, actualPosition: 10n });
      expect(await store.loadCheckpointState(name)).toEqual({ position: 10n, fence: 3n });
      await store.saveCheckpoint(name, 11n, { expectedPosition: 10n, fence: 4n });
      await expectRejection(
        () => store.saveCheckpoint(name, 12n, { expectedPosition: 11n, fence: 3n }),
        CheckpointFencedError,
      );
      expect(await store.loadCheckpointState(name)).toEqual({ position: 11n, fence: 4n });
    });

    kitTest('rejects bad names, positions and guards with a ValidationError', async () => {
      const store = await open();
      const name = uniqueStreamId('checkpoint');
      const save = (position: unknown, options?: unknown) =>
        store.saveCheckpoint(name, position as bigint, options as SaveCheckpointOptions);
      expect(await validationPath(() => store.saveCheckpoint('', 1n))).toBe('name');
      expect(await validationPath(() => save(-1n))).toBe('position');
      expect(await validationPath(() => save(2n ** 63n))).toBe('position');
      expect(await validationPath(() => save(5))).toBe('position');
      expect(await validationPath(() => save(1n, { expectedPosition: -1n }))).toBe(
        'options.expectedPosition',
      );
      expect(await validationPath(() => save(1n, { expectedPosition: 1 }))).toBe('options.expectedPosition');
      expect(await validationPath(() => save(1n, { fence: 2n ** 63n }))).toBe('options.fence');
      expect(await validationPath(() => save(1n, { fence: '1' }))).toBe('options.fence');
      expect(await validationPath(() => save(1n, 'fence'))).toBe('options');
      expect(await store.loadCheckpoint(name)).toBeUndefined();
      await expect(store.loadCheckpoint('')).rejects.toSatisfy(StrataError.isInstance);
      await expect(store.loadCheckpointState('')).rejects.toSatisfy(StrataError.isInstance);
    });
  });
}
