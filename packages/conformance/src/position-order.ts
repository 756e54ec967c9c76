/**
 * Pairs each event's position in the reference store with its position in the adapter. The
 * adapter's log may hold other events in between, so absolute values differ; the order may not.
 */
export class PositionOrder {
  private readonly realByModel = new Map<bigint, bigint>();
  private readonly modelByReal = new Map<bigint, bigint>();

  /** Records a pair; returns a problem when it contradicts an earlier one. */
  pair(model: bigint, real: bigint, what: string): string | undefined {
    const knownReal = this.realByModel.get(model);
    if (knownReal !== undefined && knownReal !== real) {
      return `${what}: position ${real}, but the same event was at ${knownReal} before`;
    }
    const knownModel = this.modelByReal.get(real);
    if (knownModel !== undefined && knownModel !== model)
      return `${what}: position ${real} is shared by two events`;
    this.realByModel.set(model, real);
    this.modelByReal.set(real, model);
    return undefined;
  }

  /** Problems with the order of every pair seen: the adapter's positions must increase with the reference's. */
  orderProblems(): string[] {
    const pairs = [...this.realByModel].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const problems: string[] = [];
    for (let i = 1; i < pairs.length; i++) {
      const [, previous] = pairs[i - 1]!;
      const [, current] = pairs[i]!;
      if (current <= previous)
        problems.push(`position ${current} follows ${previous} in the log but is not greater`);
    }
    return problems;
  }
}
