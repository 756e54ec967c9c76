import { MemoryLeaseProvider, MemoryLeaseTable } from '@strata/store-memory';
import { describeLeaseProvider } from '../src/index.js';

const table = new MemoryLeaseTable();
describeLeaseProvider('MemoryLeaseProvider', {
  create: async () => new MemoryLeaseProvider(table),
  cut: async (provider) => (provider as MemoryLeaseProvider).simulateCrash(),
});
