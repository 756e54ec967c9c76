import { MemoryEventStore } from '@strata/store-memory';
import { expect, it } from 'vitest';
import { withEncryption } from '../src/index.js';
import { CountingKeyStore, setup, userCreated } from './fixtures.js';

it('two processes writing a new subject at once both encrypt with the one key that is stored', async () => {
  const first = setup();
  const second = setup({ keyStore: first.keyStore, master: first.master });
  const inner = new MemoryEventStore();
  for (let round = 0; round < 5; round++) {
    const user = `racer-${round}`;
    await Promise.all([
      withEncryption(inner, first.encryption).append(`a-${user}`, [
        userCreated(user, `a-${round}@example.com`),
      ]),
      withEncryption(inner, second.encryption).append(`b-${user}`, [
        userCreated(user, `b-${round}@example.com`),
      ]),
    ]);
    expect((await first.keyStore.listKeys()).filter((key) => key.subjectId === user)).toHaveLength(1);
  }
  // A third process, with nothing cached, opens every field: none was sealed with a lost key.
  const reader = setup({ keyStore: first.keyStore, master: first.master });
  const emails = (await withEncryption(inner, reader.encryption).readAll()).map(
    (event) => (event.data as { email: string }).email,
  );
  expect(emails.filter((email) => email === '[redacted]')).toEqual([]);
  expect(emails).toHaveLength(10);
});

/** A key store whose first `getKey` waits until released, to let a forget overtake a read. */
class SlowKeyStore extends CountingKeyStore {
  release: (() => void) | undefined;
  override async getKey(subjectId: string, version: number) {
    const key = await super.getKey(subjectId, version);
    if (this.calls.getKey === 1) {
      await new Promise<void>((resolve) => {
        this.release = resolve;
      });
    }
    return key;
  }
}

it('a key loaded before a forget overtook it is not cached: the next read is redacted', async () => {
  const writer = setup();
  await writer.store.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
  const slow = new SlowKeyStore();
  for (const key of await writer.keyStore.listKeys()) await slow.createKey(key);
  const reader = setup({ keyStore: slow, master: writer.master });
  const store = withEncryption(writer.inner, reader.encryption);

  const reading = store.readAll();
  await new Promise((resolve) => setImmediate(resolve));
  await reader.encryption.forget('u-1');
  slow.release!();
  // The read that began before the forget may still see the value; nothing after it may.
  await reading;
  expect((await store.readAll())[0]!.data).toMatchObject({ email: '[redacted]' });
});
