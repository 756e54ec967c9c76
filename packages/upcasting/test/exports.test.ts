import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'defineUpcasters',
      'withUpcasting',
      'UpcasterChainError',
      'migrateEvents',
      'DEFAULT_MIGRATION_CHECKPOINT',
    ],
  },
  {
    errorClasses: { '.': ['UpcasterChainError'] },
    roundTrip: {
      label: 'withUpcasting over MemoryEventStore',
      open: async (pkg, load) => {
        const { MemoryEventStore } = await load.import('@strata/store-memory');
        const chain = pkg.defineUpcasters({ 'round.trip': 2 }, [{ type: 'round.trip', fromVersion: 1 }]);
        return { store: pkg.withUpcasting(new MemoryEventStore(), chain) };
      },
    },
  },
);
