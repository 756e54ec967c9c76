import { type EventRewrite, prepareRewrite } from '@strata/core';
import type { Encryption } from './encryption.js';

/**
 * The rewrite as the store must receive it: the new payload's configured fields (those of the new
 * type) encrypted as an append would encrypt them, under the subject's current key, and bound to the
 * event's id, stream and new type, so a renamed event opens under its new name. Bad input is
 * refused as the store would refuse it, naming the plaintext path, before any key is made.
 */
export async function sealedRewrite(encryption: Encryption, rewrite: EventRewrite): Promise<EventRewrite> {
  const prepared = prepareRewrite(rewrite);
  if (!encryption.encrypts(prepared.type)) return rewrite;
  const { event } = await encryption.sealEvent(
    prepared.streamId,
    {
      id: prepared.id,
      type: prepared.type,
      schemaVersion: prepared.schemaVersion,
      data: prepared.data,
      metadata: prepared.metadata,
    },
    'rewrite',
  );
  return { ...rewrite, data: event.data };
}
