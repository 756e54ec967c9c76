import { defineUpcasters, withUpcasting } from '@strata/upcasting';
import { describe, expect, it } from 'vitest';
import { IntegrityError, withEncryption } from '../src/index.js';
import { setup } from './fixtures.js';

// The first program wrote `UserCreated` with a full name; today's writes `user.registered` v2.
const chain = defineUpcasters({ 'user.registered': 2 }, [
  { type: 'UserCreated', fromVersion: 1, toType: 'user.registered', toVersion: 1 },
  {
    type: 'user.registered',
    fromVersion: 1,
    upcast: ({ full_name, ...rest }: { full_name: string }) => ({ ...rest, name: full_name }),
  },
]);

/** Encryption configured by stored type names: both the old name and the current one. */
function encrypted() {
  return setup({ fields: { UserCreated: ['email'], 'user.registered': ['email'] } });
}

describe('withUpcasting(withEncryption(store, …), chain)', () => {
  it('decrypts the stored event, then upcasts the plaintext', async () => {
    const { inner, encryption, store: old } = encrypted();
    await old.append('user-u-1', [
      { type: 'UserCreated', data: { userId: 'u-1', full_name: 'Ada Lovelace', email: 'ada@example.com' } },
    ]);
    const store = withUpcasting(withEncryption(inner, encryption), chain);
    await store.append('user-u-2', [
      { type: 'user.registered', data: { userId: 'u-2', name: 'Grace Hopper', email: 'grace@example.com' } },
    ]);
    const events = await store.readAll();
    expect(events.map((e) => [e.type, e.schemaVersion, e.data])).toEqual([
      ['user.registered', 2, { userId: 'u-1', name: 'Ada Lovelace', email: 'ada@example.com' }],
      ['user.registered', 2, { userId: 'u-2', name: 'Grace Hopper', email: 'grace@example.com' }],
    ]);
    expect(JSON.stringify((await inner.readAll()).map((e) => e.data))).not.toMatch(
      /ada@example|grace@example/,
    );

    // A forgotten user's old event still upcasts; the upcaster sees the redaction marker.
    await encryption.forget('u-1');
    expect((await store.readStream('user-u-1'))[0]!.data).toEqual({
      userId: 'u-1',
      name: 'Ada Lovelace',
      email: '[redacted]',
    });
  });

  it('the other order fails loudly: a renamed event no longer matches what its ciphertext is bound to', async () => {
    const { inner, encryption, store: old } = encrypted();
    await old.append('user-u-1', [
      { type: 'UserCreated', data: { userId: 'u-1', full_name: 'Ada Lovelace', email: 'ada@example.com' } },
    ]);
    const wrongOrder = withEncryption(withUpcasting(inner, chain), encryption);
    await expect(wrongOrder.readAll()).rejects.toSatisfy(IntegrityError.isInstance);
  });
});
