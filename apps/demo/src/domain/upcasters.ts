import type { EventRegistry } from '@strata/core';
import { defineUpcasters, type UpcasterChain } from '@strata/upcasting';

/** What the shop's first program stored as `user.registered`, schema version 1. */
export interface UserRegisteredV1 {
  email: string;
  full_name: string;
}

/**
 * How old events read as today's: `user.registered` version 1 named the user's name `full_name`
 * and kept no registration time, so the time the event was recorded stands in for it.
 */
export function createDemoUpcasters(registry: EventRegistry): UpcasterChain {
  return defineUpcasters(registry, [
    {
      type: 'user.registered',
      fromVersion: 1,
      upcast: ({ email, full_name }: UserRegisteredV1, event) => ({
        email,
        name: full_name,
        // A Date as the registry stores one; it decodes it on load.
        registeredAt: { $date: event.recordedAt.toISOString() },
      }),
    },
  ]);
}
