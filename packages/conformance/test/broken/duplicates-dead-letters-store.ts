import {
  assertDeadLetterKey,
  assertName,
  type DeadLetter,
  type DeadLetterStore,
  type ListDeadLettersOptions,
  normalizeListDeadLetters,
  prepareDeadLetter,
} from '@strata/core';

/** Appends every dead letter, so a letter added again is listed and counted twice (no unique key). */
export class DuplicatesDeadLettersStore implements DeadLetterStore {
  private readonly letters: DeadLetter[] = [];

  async addDeadLetter(letter: Omit<DeadLetter, 'failedAt'> & { failedAt?: Date }): Promise<void> {
    this.letters.push(prepareDeadLetter(letter));
  }

  async listDeadLetters(projector: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]> {
    const { after, limit } = normalizeListDeadLetters(projector, options);
    return this.letters
      .filter((letter) => letter.projector === projector && (after === undefined || letter.position > after))
      .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0))
      .slice(0, limit);
  }

  async countDeadLetters(projector: string): Promise<number> {
    assertName(projector, 'projector');
    return this.letters.filter((letter) => letter.projector === projector).length;
  }

  async removeDeadLetter(projector: string, position: bigint): Promise<boolean> {
    assertDeadLetterKey(projector, position);
    const before = this.letters.length;
    for (let i = this.letters.length - 1; i >= 0; i--) {
      const letter = this.letters[i]!;
      if (letter.projector === projector && letter.position === position) this.letters.splice(i, 1);
    }
    return this.letters.length < before;
  }
}
