import { createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import type { KeyStore } from '@strata/core';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Every data key in `keyStore`, unwrapped with the master key `masterKeyId` (its bytes in hand), by
 * key id: what the minimal decrypting read looks its keys up in, made before anything is timed.
 * Written here from the stored format (`iv | tag | ciphertext` as base64, the key's header as AAD)
 * because the package hands out no data key, by design; a key that does not unwrap throws.
 */
export async function unwrapBenchDataKeys(
  keyStore: KeyStore,
  masterKeyId: string,
  masterKeyBytes: Buffer,
): Promise<Map<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  let after: { subjectId: string; version: number } | undefined;
  for (;;) {
    const page = await keyStore.listKeys(after === undefined ? {} : { after });
    if (page.length === 0) return keys;
    for (const wrapped of page) {
      if (wrapped.masterKeyId !== masterKeyId) {
        throw new Error(
          `data key ${wrapped.keyId} is wrapped by master key "${wrapped.masterKeyId}", not "${masterKeyId}"`,
        );
      }
      const packed = Buffer.from(wrapped.wrappedKey, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', masterKeyBytes, packed.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      const { subjectId, version, keyId } = wrapped;
      decipher.setAAD(
        Buffer.from(JSON.stringify(['strata.data-key', 1, subjectId, version, keyId, masterKeyId])),
      );
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const bytes = Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      keys.set(keyId, createSecretKey(bytes));
    }
    const last = page[page.length - 1]!;
    after = { subjectId: last.subjectId, version: last.version };
  }
}
