import { expect, it } from 'vitest';
import { describePostgres, storeInFreshSchema } from './support/postgres-test-env.js';

// The lookup takes one path with the type index and another without: both must give the same answers.
for (const typeIndex of [false, true]) {
  describePostgres(`precedingPosition in an append transaction (typeIndex: ${typeIndex})`, () => {
    const context = storeInFreshSchema({ typeIndex });

    it('is the last event of any of the types below the append, 0 when none, the last of all without types', async () => {
      const { store } = context;
      // 1 a, 2 b, 3 c, 4 b, 5 x
      await store.append(
        's',
        ['a', 'b', 'c', 'b', 'x'].map((type) => ({ type, data: {} })),
      );
      let seen: Record<string, bigint> = {};
      const remove = store.onAppendTransaction(async ({ precedingPosition }) => {
        seen = {
          a: await precedingPosition(['a']),
          ab: await precedingPosition(['a', 'b']),
          ca: await precedingPosition(['c', 'a']),
          absent: await precedingPosition(['never']),
          any: await precedingPosition(),
        };
      });
      await store.append('s', [{ type: 'y', data: {} }]); // 6
      remove();
      expect(seen).toEqual({ a: 1n, ab: 4n, ca: 3n, absent: 0n, any: 5n });
    });
  });
}
