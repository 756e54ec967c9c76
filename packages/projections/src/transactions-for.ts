import type { TransactionalCheckpoints } from '@strata/core';

/**
 * What options must add for a projector whose handlers take a transaction (`Tx` other than `void`):
 * the `transactions` to open it in. A projector that writes elsewhere needs nothing.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: `void` is the Tx of a projector that takes none.
export type TransactionsFor<Tx> = [Tx] extends [void]
  ? unknown
  : { transactions: TransactionalCheckpoints<Tx> };
