/** How many streams the hints remember; the least recently used are forgotten first. */
export const MAX_HINTS = 10_000;

/**
 * Which streams had a usable copy at their last hot read in this process. A strict read of such a
 * stream checks the warm version alongside the hot read (a hit then costs the slower of the two,
 * not both); for any other stream it reads the hot tier first, so a miss does not also pay for a
 * version check it cannot use. Only a latency choice: a wrong hint costs time, never correctness.
 */
export class HotHints {
  private readonly covered = new Map<string, true>();

  likelyCovered(streamId: string): boolean {
    return this.covered.has(streamId);
  }

  saw(streamId: string, covered: boolean): void {
    this.covered.delete(streamId);
    if (!covered) return;
    this.covered.set(streamId, true);
    if (this.covered.size > MAX_HINTS) {
      const oldest = this.covered.keys().next().value;
      if (oldest !== undefined) this.covered.delete(oldest);
    }
  }
}
