import {
  assertDeadLetterKey,
  assertName,
  type DeadLetter,
  type DeadLetterStore,
  type ListDeadLettersOptions,
  normalizeListDeadLetters,
  prepareDeadLetter,
} from '@strata/core';

/** Projectors' dead letters in memory, one map per projector keyed by position. */
export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly projectors = new Map<string, Map<bigint, DeadLetter>>();

  async addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void> {
    const prepared = prepareDeadLetter(letter);
    let letters = this.projectors.get(prepared.projector);
    if (letters === undefined) {
      letters = new Map();
      this.projectors.set(prepared.projector, letters);
    }
    letters.set(prepared.position, { ...prepared, failedAt: new Date(prepared.failedAt) });
  }

  async listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]> {
    const { after, limit } = normalizeListDeadLetters(projector, options);
    const letters = [...(this.projectors.get(projector)?.values() ?? [])]
      .filter((letter) => after === undefined || letter.position > after)
      .sort((a, b) => (a.position < b.position ? -1 : 1))
      .slice(0, limit);
    // Copies: a caller changing what it got must not change what is stored.
    return letters.map((letter) => ({
      ...letter,
      error: { ...letter.error },
      failedAt: new Date(letter.failedAt),
    }));
  }

  async countDeadLetters(projector: string): Promise<number> {
    assertName(projector, 'projector');
    return this.projectors.get(projector)?.size ?? 0;
  }

  async removeDeadLetter(projector: string, position: bigint): Promise<boolean> {
    assertDeadLetterKey(projector, position);
    return this.projectors.get(projector)?.delete(position) ?? false;
  }
}
