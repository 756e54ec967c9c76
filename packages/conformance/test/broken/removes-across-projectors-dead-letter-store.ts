import type { DeadLetter, DeadLetterStore, ListDeadLettersOptions } from '@strata/core';
import { MemoryDeadLetterStore } from '@strata/store-memory';

/** `removeDeadLetter` removes the position from every projector (`WHERE position = ?` alone). */
export class RemovesAcrossProjectorsDeadLetterStore implements DeadLetterStore {
  private readonly inner = new MemoryDeadLetterStore();
  private readonly projectors = new Set<string>();

  async addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void> {
    await this.inner.addDeadLetter(letter);
    this.projectors.add(letter.projector);
  }

  listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]> {
    return this.inner.listDeadLetters(projector, options);
  }

  countDeadLetters(projector: string): Promise<number> {
    return this.inner.countDeadLetters(projector);
  }

  async removeDeadLetter(projector: string, position: bigint): Promise<boolean> {
    let removed = await this.inner.removeDeadLetter(projector, position);
    for (const other of this.projectors)
      removed = (await this.inner.removeDeadLetter(other, position)) || removed;
    return removed;
  }
}
