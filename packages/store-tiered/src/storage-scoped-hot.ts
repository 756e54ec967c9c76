import type { EventStore } from '@strata/core';
import type { HotTier } from './hot-tier.js';

/**
 * The hot tier as this store's warm storage sees it: `hot.forStorage(id)`, with the id the warm
 * store keeps in its storage (or the `warmStorageId` option). The id is asked for once, on the
 * first hot-tier call; until it is known no hot call is made, and a failure to get it fails that
 * call like a hot-tier failure (the next call asks again).
 */
export class StorageScopedHot {
  private scoped: HotTier | undefined;
  private resolving: Promise<HotTier> | undefined;

  constructor(
    private readonly hot: HotTier,
    private readonly storageId: () => Promise<string>,
    /** Called once, with the scoped tier, when it is first known. */
    private readonly onScoped: (scoped: HotTier) => void = () => {},
  ) {}

  async get(): Promise<HotTier> {
    if (this.scoped !== undefined) return this.scoped;
    this.resolving ??= this.storageId()
      .then((id) => {
        this.scoped = this.hot.forStorage(id);
        this.onScoped(this.scoped);
        return this.scoped;
      })
      .finally(() => {
        this.resolving = undefined;
      });
    return this.resolving;
  }
}

/** Where the warm storage's id comes from: the explicit option, else the warm store itself. */
export function warmStorageIdOf(
  warm: EventStore,
  explicit: string | undefined,
): (() => Promise<string>) | undefined {
  if (explicit !== undefined) return async () => explicit;
  const own = warm.storageId;
  return own === undefined ? undefined : () => own.call(warm);
}
