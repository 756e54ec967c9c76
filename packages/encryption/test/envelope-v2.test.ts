import { MemoryEventStore, MemoryKeyStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { createEncryption, IntegrityError, masterKey, withEncryption } from '../src/index.js';
import { tampered } from './fixtures.js';

// Written by @strata/encryption 0.2 (one envelope per event, `"v": 2`) under this fixed test master
// key, and kept as it was stored: the key row and the events. Reads must keep opening them byte for
// byte, whatever the read path caches: event ids of two lengths, two types, a non-ASCII stream id.
const MASTER = Buffer.from('strata-test-fixed-master-key-v2!', 'utf8');
const KEY_ID = '05bb7f9a-bad4-4524-9b65-351c912d0d72';
const KEY_ROW = {
  subjectId: 'u-1',
  version: 1,
  keyId: KEY_ID,
  masterKeyId: 'm1',
  wrappedKey: '1ekAZDjfm1ZJR4e1uTfNDwkqvMtou8CVRPkC9DkLhdwPGBg/Bs7v/bZwBfwucxERiuW33xNfda7WBrGr',
};
const STREAM = 'user-u-1-é';
const envelope = (paths: string[], ct: string) => ({
  v: 2,
  alg: 'AES-256-GCM',
  kid: KEY_ID,
  kv: 1,
  sub: 'fXCT8xXYG1HuSt+qUVUocu',
  paths,
  ct,
});
const STORED = [
  {
    id: '0190b000-0000-7000-8000-000000000001',
    type: 'UserCreated',
    data: {
      userId: 'u-1',
      name: 'user u-1',
      '$strata.encrypted': envelope(
        ['email', 'phone'],
        'e8PXhKu59sJanw5qWkHVVS29Pl91ONGsRcJ9tNkfBe3f6XW/wDVidrhrOHFrmXFoDQMN2ye8xp6TK2MXBn7PbvhL',
      ),
    },
  },
  {
    id: '0190b000-0000-7000-8000-000000000002',
    type: 'PaymentProcessed',
    data: {
      userId: 'u-1',
      amount: 1250,
      billing: { city: 'London' },
      '$strata.encrypted': envelope(
        ['card_number', 'cvv', 'billing.address'],
        'zXckPdrYdThAzy/TKcOhtEBhme/WbN0hH86akPFm6taABbOhV4DxscE0dgHsQeObBQBEznytXvZEO6d4L9tvJpHIDd4=',
      ),
    },
  },
  {
    id: 'ev-3',
    type: 'UserCreated',
    data: {
      userId: 'u-1',
      name: 'user u-1',
      '$strata.encrypted': envelope(
        ['email'],
        'JabLxaRXyTMXE9XL92el4OOLTxgVtHU3wOzQHxJNcBO0f+33rnVa/xJnszvGkupwyA==',
      ),
    },
  },
];
const OPENED = [
  { userId: 'u-1', name: 'user u-1', email: 'ada@example.com', phone: '+44 20 7946 0001' },
  {
    userId: 'u-1',
    amount: 1250,
    card_number: '4111111111111111',
    cvv: '123',
    billing: { city: 'London', address: '1 Long Acre' },
  },
  { userId: 'u-1', name: 'user u-1', email: 'grace@example.com' },
];

async function storedByVersionTwo() {
  const keyStore = new MemoryKeyStore();
  await keyStore.createKey(KEY_ROW);
  const inner = new MemoryEventStore();
  await inner.append(STREAM, structuredClone(STORED));
  const encryption = createEncryption({
    keyStore,
    masterKeys: [masterKey('m1', MASTER)],
    currentMasterKeyId: 'm1',
    fields: { UserCreated: ['email', 'phone'], PaymentProcessed: ['card_number', 'cvv', 'billing.address'] },
    subjectOf: (event) => (event.data as { userId: string }).userId,
  });
  return { inner, encryption, store: withEncryption(inner, encryption) };
}

describe('events encrypted by 0.2, one envelope per event', () => {
  it('open in one read, and one at a time', async () => {
    const { store } = await storedByVersionTwo();
    expect((await store.readStream(STREAM)).map((e) => e.data)).toEqual(OPENED);
    for (let i = 0; i < STORED.length; i++) {
      const [event] = await store.readStream(STREAM, { fromVersion: i + 1, limit: 1 });
      expect(event!.data).toEqual(OPENED[i]);
    }
  });

  it('fail with an IntegrityError naming the event when one event id is changed in storage', async () => {
    const { inner, encryption } = await storedByVersionTwo();
    // The same length as the real id: only the bytes of the id differ from the event before.
    const moved = tampered(inner, (event) =>
      event.id === STORED[1]!.id ? { ...event, id: '0190b000-0000-7000-8000-000000000009' } : event,
    );
    const error = await withEncryption(moved, encryption)
      .readAll()
      .catch((e: unknown) => e);
    expect(IntegrityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ eventId: '0190b000-0000-7000-8000-000000000009' });
  });
});
