import { type EventRewrite, prepareRewrite, prepareRewrites } from '@strata/core';
import type { Encryption } from './encryption.js';

/**
 * The rewrite as the store must receive it: the new payload's configured fields (those of the new
 * type) encrypted as an append would encrypt them, under the subject's current key, and bound to the
 * event's id, stream and new type, so a renamed event opens under its new name. Bad input is
 * refused as the store would refuse it, naming the plaintext path, before any key is made.
 */
export async function sealedRewrite(
  encryption: Encryption,
  rewrite: EventRewrite,
  path = 'rewrite',
): Promise<EventRewrite> {
  const prepared = prepareRewrite(rewrite, path);
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
    path,
  );
  return { ...rewrite, data: event.data };
}

/**
 * A batch as the store must receive it: the whole batch checked first (limits, duplicates, every
 * rewrite), so bad input anywhere is refused before any key is made; then each rewrite sealed as
 * `sealedRewrite` seals one. Ciphertext is longer than plaintext: a batch near
 * `MAX_REWRITE_BATCH_BYTES` in plaintext may be refused by the store once sealed.
 */
export async function sealedRewrites(
  encryption: Encryption,
  rewrites: EventRewrite[],
): Promise<EventRewrite[]> {
  prepareRewrites(rewrites);
  const sealed: EventRewrite[] = [];
  for (let i = 0; i < rewrites.length; i++) {
    sealed.push(await sealedRewrite(encryption, rewrites[i]!, `rewrites[${i}]`));
  }
  return sealed;
}
