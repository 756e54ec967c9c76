import { randomBytes } from 'node:crypto';
import { MemoryKeyStore } from '@strata/store-memory';
import { createEncryption, masterKey } from '../src/index.js';

/**
 * Encryption of the `n` field of every event the kit writes (its types all start `conformance.`),
 * each stream its own subject: the kit's reads, appends and races all go through the ciphers.
 */
export function conformanceEncryption() {
  return createEncryption({
    keyStore: new MemoryKeyStore(),
    masterKeys: [masterKey('conformance', randomBytes(32))],
    currentMasterKeyId: 'conformance',
    fields: (type) => (type.startsWith('conformance.') ? ['n'] : undefined),
    subjectOf: (event) => event.streamId,
  });
}
