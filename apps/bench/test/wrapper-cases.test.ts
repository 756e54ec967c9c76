import { MemoryEventStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { WRAPPER_BACKENDS } from '../src/wrappers/wrapper-backends.js';
import { WRAPPER_CASES, wrapperCaseStores } from '../src/wrappers/wrapper-cases.js';
import { CURRENT_VERSION, customerEvent, ENCRYPTED_FIELDS } from '../src/wrappers/wrapper-events.js';
import { leftovers } from './support/bench-leftovers.js';
import { describeWithServer } from './support/server-gate.js';

describe('the events', () => {
  it('take about 300 bytes of JSON at every stored version', () => {
    for (const version of [1, 2, 3] as const) {
      for (const n of [0, 99_999]) {
        const bytes = Buffer.byteLength(JSON.stringify(customerEvent('encryption-s100-49', n, version).data));
        expect(bytes).toBeGreaterThan(270);
        expect(bytes).toBeLessThan(330);
      }
    }
  });
});

describe('wrapperCaseStores', () => {
  it('reads every case back as the current event, through the wrappers each case names', async () => {
    const store = new MemoryEventStore();
    const stores = wrapperCaseStores(store);
    for (const wrapperCase of WRAPPER_CASES) {
      const { writer, subject, seededVersion, prepare } = stores[wrapperCase];
      await writer.append(wrapperCase, [customerEvent(wrapperCase, 7, seededVersion)], {
        expectedVersion: 0,
      });
      await prepare?.([wrapperCase]);
      const [read] = await subject.readStream(wrapperCase);
      expect(read).toMatchObject({
        schemaVersion: CURRENT_VERSION,
        data: customerEvent(wrapperCase, 7).data,
      });
    }
    const stored = async (streamId: string) => (await store.readStream(streamId))[0]!;
    expect((await stored('upcasting-1-old')).schemaVersion).toBe(2);
    expect((await stored('upcasting-2-old')).schemaVersion).toBe(1);
    // Only the encrypting cases (and the yardstick that reads encryption's rows) store an envelope, holding the two configured fields and no other.
    for (const wrapperCase of WRAPPER_CASES) {
      const data = (await stored(wrapperCase)).data as Record<string, unknown>;
      const envelope = data['$strata.encrypted'] as { paths: string[] } | undefined;
      const encrypts = ['encryption', 'minimal-decryption', 'both'].includes(wrapperCase);
      expect(envelope?.paths).toEqual(encrypts ? [...ENCRYPTED_FIELDS] : undefined);
      for (const field of ENCRYPTED_FIELDS) expect(Object.hasOwn(data, field)).toBe(!encrypts);
    }
    await store.close();
  });
});

const postgres = WRAPPER_BACKENDS.find((b) => b.name === 'postgres')!;
const unreachable = await postgres.probe();

for (const backend of WRAPPER_BACKENDS) {
  const gate = backend.name === 'postgres' ? unreachable : undefined;
  describeWithServer(`the ${backend.name} wrappers target`, gate, () => {
    it("deletes its file or schema at the end, and not another run's", async () => {
      const first = await backend.open();
      const second = await backend.open();
      try {
        for (const open of [first, second]) {
          await open.store.append('left', [customerEvent('left', 1)], { expectedVersion: 0 });
          for (const location of open.locations) expect(await leftovers(location)).toBeGreaterThan(0);
        }
        await first.cleanup();
        for (const location of first.locations) expect(await leftovers(location)).toBe(0);
        for (const location of second.locations) expect(await leftovers(location)).toBeGreaterThan(0);
      } finally {
        await second.cleanup();
      }
      for (const location of second.locations) expect(await leftovers(location)).toBe(0);
    });
  });
}
