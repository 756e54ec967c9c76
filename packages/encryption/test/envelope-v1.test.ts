import { MemoryEventStore, MemoryKeyStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { createEncryption, IntegrityError, masterKey, withEncryption } from '../src/index.js';
import { paymentProcessed, SEED_FIELDS, tampered, userCreated } from './fixtures.js';

// Written by @strata/encryption 0.1.0 (one envelope per field, `"$strata.encrypted": 1`) under
// this fixed test master key, and kept as it was stored: the key row and the events.
const MASTER = Buffer.from('strata-test-fixed-master-key-v1!', 'utf8');
const KEY_ID = 'af1c5d4d-ce39-48d9-9174-7c7f15789760';
const KEY_ROW = {
  subjectId: 'u-1',
  version: 1,
  keyId: KEY_ID,
  masterKeyId: 'm1',
  wrappedKey: 'y2jDmcDbzOiIouUbaCofXGA9t7yVwp2qwMXwvaxcyYj/RvQLsZ8A+xORZ5od+erRBoIf7F4gN8KUn5r5',
};
const field = (iv: string, tag: string, ct: string) => ({
  '$strata.encrypted': 1,
  alg: 'AES-256-GCM',
  kid: KEY_ID,
  kv: 1,
  sub: 'fXCT8xXYG1HuSt+qUVUocu',
  iv,
  tag,
  ct,
});
const STORED = [
  {
    id: '0190a000-0000-7000-8000-000000000001',
    type: 'UserCreated',
    data: {
      userId: 'u-1',
      name: 'user u-1',
      email: field('Bp7FQL86RWIrGeea', 'Q5G1ZGAImYkbK2arw78pJQ==', 'TvaStk8reLF+lIzMNQVgBIA='),
      phone: field('XmEs8qv0BZbtwr0p', 'ZJEsnnCKUm9qNANORu/9mw==', 'G1Hd+nRkPkUW5f7AjO2tPo5U'),
    },
  },
  {
    id: '0190a000-0000-7000-8000-000000000002',
    type: 'PaymentProcessed',
    data: {
      userId: 'u-1',
      amount: 1250,
      card_number: field('WdA3JGk2IWKUoK1i', 'SfqXOKB4mxpR3U2iaHaeqQ==', 'anDrqffi87+yNKBByhTeohTL'),
      cvv: field('ofvemAywqORq8mEi', 'aIOptxm+od5PI+ZcsW7g2A==', 'sm6crBA='),
      billing: {
        city: 'London',
        address: field('0XvL8U2pTx5zbavo', 'qwsp3phH88lppw5JvGRzsg==', 'f5CqDjf4JmEJtQg='),
      },
    },
  },
];

/** A store holding the 0.1.0 events as stored (the plain store underneath), and its encryption. */
async function storedByVersionOne() {
  const keyStore = new MemoryKeyStore();
  await keyStore.createKey(KEY_ROW);
  const inner = new MemoryEventStore();
  await inner.append('user-u-1', structuredClone(STORED));
  const encryption = createEncryption({
    keyStore,
    masterKeys: [masterKey('m1', MASTER)],
    currentMasterKeyId: 'm1',
    fields: SEED_FIELDS,
    subjectOf: (event) => (event.data as { userId: string }).userId,
  });
  return { inner, encryption, store: withEncryption(inner, encryption) };
}

describe('fields encrypted by 0.1.0, one envelope per field', () => {
  it('still open, next to events written now with one envelope per event', async () => {
    const { store } = await storedByVersionOne();
    await store.append('user-u-1', [userCreated('u-1', 'new@example.com')]);
    expect((await store.readStream('user-u-1')).map((e) => e.data)).toEqual([
      userCreated('u-1', 'ada@example.com').data,
      paymentProcessed('u-1', '4111111111111111').data,
      userCreated('u-1', 'new@example.com').data,
    ]);
  });

  it('read as redacted once the subject is forgotten', async () => {
    const { store, encryption } = await storedByVersionOne();
    await encryption.forget('u-1');
    const [created, payment] = await store.readAll();
    expect(created!.data).toMatchObject({ email: '[redacted]', phone: '[redacted]' });
    expect(payment!.data).toMatchObject({
      amount: 1250,
      card_number: '[redacted]',
      billing: { city: 'London', address: '[redacted]' },
    });
  });

  it('changed in storage, fail with an IntegrityError naming the event and the field', async () => {
    const { inner, encryption } = await storedByVersionOne();
    const swapped = tampered(inner, (event) => {
      const data = event.data as Record<string, unknown>;
      return event.type === 'PaymentProcessed'
        ? { ...event, data: { ...data, cvv: data.card_number, card_number: data.cvv } }
        : event;
    });
    const error = await withEncryption(swapped, encryption)
      .readAll()
      .catch((e: unknown) => e);
    expect(IntegrityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ eventId: STORED[1]!.id, field: 'card_number' });
  });
});
