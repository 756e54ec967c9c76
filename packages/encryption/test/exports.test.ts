import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'createEncryption',
      'Encryption',
      'withEncryption',
      'withSnapshotEncryption',
      'masterKey',
      'MasterKey',
      'IntegrityError',
      'ENVELOPE_MARK',
    ],
  },
  {
    errorClasses: { '.': ['IntegrityError'] },
    roundTrip: {
      label: 'withEncryption over MemoryEventStore',
      open: async (pkg, load) => {
        const { MemoryEventStore, MemoryKeyStore } = await load.import('@strata/store-memory');
        const { randomBytes } = await load.import('node:crypto');
        const encryption = pkg.createEncryption({
          keyStore: new MemoryKeyStore(),
          masterKeys: [pkg.masterKey('m', randomBytes(32))],
          currentMasterKeyId: 'm',
          fields: { 'round.trip': ['secret'] },
          subjectOf: (event: { streamId: string }) => event.streamId,
        });
        return { store: pkg.withEncryption(new MemoryEventStore(), encryption) };
      },
    },
  },
);
