import { MemorySnapshotStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { type CompressionCodec, never, type SnapshotEvent } from '../src/index.js';
import { compressState, decompressState, resolveCompression } from '../src/snapshot-compression.js';
import { type Ledger, ledgers, ledgerWith } from './ledger.js';

const bigState = {
  items: Array.from({ length: 500 }, (_, i) => ({ sku: `sku-${i}`, qty: i % 7, note: 'éß✓' })),
};

describe('snapshot compression', () => {
  it.each(['gzip', 'brotli', 'none'] as CompressionCodec[])('round-trips a state with %s', async (codec) => {
    const envelope = await compressState(bigState, resolveCompression({ codec }));
    expect(envelope.codec).toBe(codec);
    expect(envelope.bytes).toBe(Buffer.byteLength(JSON.stringify(bigState)));
    if (codec !== 'none') expect((envelope.body as string).length).toBeLessThan(envelope.bytes / 4);
    expect(await decompressState(JSON.parse(JSON.stringify(envelope)))).toEqual(bigState);
  });

  it('stores states below minBytes uncompressed', async () => {
    const small = { a: 1 };
    expect((await compressState(small, resolveCompression())).codec).toBe('none');
    expect((await compressState(bigState, resolveCompression())).codec).toBe('gzip');
    expect((await compressState(small, resolveCompression({ minBytes: 0 }))).codec).toBe('gzip');
  });

  it('rejects codecs and levels it does not know', () => {
    expect(() => resolveCompression({ codec: 'zstd' as CompressionCodec })).toThrow(/gzip/);
    expect(() => resolveCompression({ codec: 'gzip', level: 10 })).toThrow(/1 to 9/);
    expect(() => resolveCompression({ codec: 'brotli', level: 11 })).not.toThrow();
  });

  it('refuses what is not an envelope, and corrupt bytes', async () => {
    await expect(decompressState({ balance: 1 })).rejects.toThrow(/envelope/);
    await expect(decompressState({ strataSnapshot: 1, codec: 'zstd', body: '' })).rejects.toThrow(/codec/);
    await expect(decompressState({ strataSnapshot: 1, codec: 'brotli', body: 'AAAA' })).rejects.toThrow();
  });

  it('reads a snapshot written with gzip after the setting changed to brotli', async () => {
    const store = new MemorySnapshotStore();
    const before = ledgers(
      { strategy: never, compression: { codec: 'gzip', minBytes: 0 } },
      { snapshots: store },
    );
    await ledgerWith(before.repository, 'c-1', 8);
    const ledger = await before.repository.load('c-1');
    await before.snapshots.write({ streamId: 'ledger-c-1', ...ledger.toSnapshot() });
    expect(await store.loadSnapshot('ledger-c-1')).toMatchObject({ state: { codec: 'gzip' } });

    const seen: SnapshotEvent[] = [];
    const after = ledgers(
      { strategy: never, compression: { codec: 'brotli', minBytes: 0 }, onEvent: (e) => seen.push(e) },
      { snapshots: store, events: before.events },
    );
    const loaded = (await after.repository.load('c-1')) as Ledger;
    expect(loaded.restoredFrom).toBe(8);
    expect(loaded.balance).toBe(36n);
    await after.snapshots.write({ streamId: 'ledger-c-1', ...loaded.toSnapshot(), version: 9 });
    expect(seen.find((e) => e.type === 'written')).toMatchObject({ codec: 'brotli' });
  });
});
