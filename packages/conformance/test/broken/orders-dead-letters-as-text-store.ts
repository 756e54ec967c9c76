import {
  type DeadLetter,
  type DeadLetterStore,
  type ListDeadLettersOptions,
  MAX_LIST_LIMIT,
  normalizeListDeadLetters,
} from '@strata/core';
import { MemoryDeadLetterStore } from '@strata/store-memory';

/**
 * Orders and pages by the position's decimal text (a text column, or a Redis lex range without
 * padding): "10" comes before "9".
 */
export class OrdersDeadLettersAsTextStore implements DeadLetterStore {
  private readonly inner = new MemoryDeadLetterStore();

  addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void> {
    return this.inner.addDeadLetter(letter);
  }

  async listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]> {
    const { after, limit } = normalizeListDeadLetters(projector, options);
    const all = await this.inner.listDeadLetters(projector, { limit: MAX_LIST_LIMIT });
    return all
      .filter((letter) => after === undefined || String(letter.position) > String(after))
      .sort((a, b) => (String(a.position) < String(b.position) ? -1 : 1))
      .slice(0, limit);
  }

  countDeadLetters(projector: string): Promise<number> {
    return this.inner.countDeadLetters(projector);
  }

  removeDeadLetter(projector: string, position: bigint): Promise<boolean> {
    return this.inner.removeDeadLetter(projector, position);
  }
}
