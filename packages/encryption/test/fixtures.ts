import { randomBytes } from 'node:crypto';
import type { EventStore, KeyStore, RecordedEvent } from '@strata/core';
import { MemoryEventStore, MemoryKeyStore } from '@strata/store-memory';
import { createEncryption, type EncryptionOptions, masterKey, withEncryption } from '../src/index.js';

/** The seed's fields: personal data of a user and a payment's card, nested paths included. */
export const SEED_FIELDS = {
  UserCreated: ['email', 'phone'],
  PaymentProcessed: ['card_number', 'cvv', 'billing.address'],
};

export const userCreated = (userId: string, email: string) => ({
  type: 'UserCreated',
  data: { userId, name: `user ${userId}`, email, phone: '+44 20 7946 0000' },
});

export const paymentProcessed = (userId: string, card: string) => ({
  type: 'PaymentProcessed',
  data: {
    userId,
    amount: 1250,
    card_number: card,
    cvv: '123',
    billing: { city: 'London', address: '1 Main St' },
  },
});

/** A key store that counts the calls of each method, to show what the cache saves. */
export class CountingKeyStore extends MemoryKeyStore {
  readonly calls = { getKey: 0, latestKey: 0, createKey: 0 };
  override getKey(subjectId: string, version: number) {
    this.calls.getKey++;
    return super.getKey(subjectId, version);
  }
  override latestKey(subjectId: string) {
    this.calls.latestKey++;
    return super.latestKey(subjectId);
  }
  override createKey(...args: Parameters<KeyStore['createKey']>) {
    this.calls.createKey++;
    return super.createKey(...args);
  }
}

/** An encrypted memory store with the seed's fields, subjects taken from `data.userId`. */
export function setup(options: Partial<EncryptionOptions> & { master?: Buffer } = {}) {
  const master = options.master ?? randomBytes(32);
  const keyStore = (options.keyStore as CountingKeyStore | undefined) ?? new CountingKeyStore();
  const inner = new MemoryEventStore();
  const encryption = createEncryption({
    keyStore,
    masterKeys: [masterKey('m1', master)],
    currentMasterKeyId: 'm1',
    fields: SEED_FIELDS,
    subjectOf: (event) => (event.data as { userId: string }).userId,
    ...options,
  });
  return { master, keyStore, inner, encryption, store: withEncryption(inner, encryption) };
}

/** `inner`, with each event read passed through `change` first: storage tampered with. */
export function tampered(inner: EventStore, change: (event: RecordedEvent) => RecordedEvent): EventStore {
  return {
    append: (streamId, events, options) => inner.append(streamId, events, options),
    readStream: async (streamId, options) => (await inner.readStream(streamId, options)).map(change),
    readStreams: async (ids, options) => {
      const streams = await inner.readStreams(ids, options);
      for (const [id, events] of streams) streams.set(id, events.map(change));
      return streams;
    },
    readAll: async (options) => (await inner.readAll(options)).map(change),
    streamVersion: (streamId) => inner.streamVersion(streamId),
    close: () => inner.close(),
  };
}
