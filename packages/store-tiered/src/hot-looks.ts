import type { HotAccess, HotOutcome } from './hot-access.js';
import type { HotCopyBounds } from './hot-tier.js';

type Look = HotOutcome<HotCopyBounds | undefined>;

/** At most this many copies per round trip: one script's reply stays small. */
const MAX_LOOKS_PER_TRIP = 64;

/**
 * The write-through's looks at copies' bounds, sent together: the looks asked for in one turn of
 * the event loop (concurrent appends whose commits came back together) go to the hot tier in one
 * round trip when it has `peekMany`. On two cores a round trip costs CPU that the warm store's
 * commits need, whatever its size (issue 12). A look is a plain read and only a hint, since the
 * extend script decides on the copy as it is when it runs: answering several looks at one moment,
 * a turn later, changes what they cost, never what the write-through may do.
 */
export class HotLooks {
  private waiting: { streamId: string; resolve: (look: Look) => void }[] = [];

  constructor(private readonly access: HotAccess) {}

  look(streamId: string): Promise<Look> {
    return new Promise((resolve) => {
      // Sent on the next turn, after every write-through that this turn's commits started.
      if (this.waiting.length === 0) setImmediate(() => this.send());
      this.waiting.push({ streamId, resolve });
    });
  }

  private send(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (let i = 0; i < waiting.length; i += MAX_LOOKS_PER_TRIP) {
      const looks = waiting.slice(i, i + MAX_LOOKS_PER_TRIP);
      // `run` reports failures as outcomes; anything else still answers every look, or the
      // write-throughs waiting for them (and `flush`) would wait forever.
      this.trip(looks).catch((error: unknown) => {
        for (const look of looks) look.resolve({ ok: false, skipped: false, error });
      });
    }
  }

  private async trip(looks: { streamId: string; resolve: (look: Look) => void }[]): Promise<void> {
    const [only] = looks;
    if (looks.length === 1 && only !== undefined) {
      only.resolve(await this.access.run('peek', (hot) => hot.peek(only.streamId)));
      return;
    }
    const streamIds = looks.map((look) => look.streamId);
    const outcome = await this.access.run('peek', (hot) =>
      hot.peekMany === undefined
        ? Promise.all(streamIds.map((streamId) => hot.peek(streamId)))
        : hot.peekMany(streamIds),
    );
    looks.forEach((look, i) => {
      look.resolve(outcome.ok ? { ok: true, value: outcome.value[i] } : outcome);
    });
  }
}
