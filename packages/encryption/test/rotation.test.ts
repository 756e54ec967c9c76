import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createEncryption,
  ENVELOPE_MARK,
  masterKey,
  type RewrapProgress,
  withEncryption,
} from '../src/index.js';
import { SEED_FIELDS, setup, userCreated } from './fixtures.js';

const subjectOf = (event: { data: unknown }) => (event.data as { userId: string }).userId;

describe('key rotation', () => {
  it('a new data-key version encrypts new writes; fields under the old one stay readable', async () => {
    const { store, encryption, inner, keyStore } = setup();
    await store.append('user-u-1', [userCreated('u-1', 'old@example.com')]);
    expect(await encryption.rotateDataKey('u-1')).toBe(2);
    await store.append('user-u-1', [userCreated('u-1', 'new@example.com')]);
    const versions = (await inner.readAll()).map(
      (e) => (e.data as Record<string, { kv: number }>)[ENVELOPE_MARK]!.kv,
    );
    expect(versions).toEqual([1, 2]);
    expect((await store.readAll()).map((e) => (e.data as { email: string }).email)).toEqual([
      'old@example.com',
      'new@example.com',
    ]);
    expect((await keyStore.listKeys()).map((k) => k.version)).toEqual([1, 2]);
    // Forgetting destroys every version.
    expect(await encryption.forget('u-1')).toBe(2);
    expect((await store.readAll()).map((e) => (e.data as { email: string }).email)).toEqual([
      '[redacted]',
      '[redacted]',
    ]);
  });

  it('a new master key wraps new data keys; a resumable re-wrap moves every old key under it', async () => {
    const old = randomBytes(32);
    const { store, keyStore, inner } = setup({ master: old });
    const users = ['a', 'b', 'c', 'd', 'e'];
    for (const user of users) await store.append(`user-${user}`, [userCreated(user, `${user}@example.com`)]);

    const next = randomBytes(32);
    const both = createEncryption({
      keyStore,
      masterKeys: [masterKey('m1', old), masterKey('m2', next)],
      currentMasterKeyId: 'm2',
      fields: SEED_FIELDS,
      subjectOf,
    });
    const rotated = withEncryption(inner, both);
    await rotated.append('user-f', [userCreated('f', 'f@example.com')]);
    expect((await keyStore.latestKey('f'))?.masterKeyId).toBe('m2');
    expect((await rotated.readAll()).map((e) => (e.data as { email: string }).email)).toHaveLength(6);

    // A first run stops after two pages (a crash, say); forgetting "c" meanwhile must stick.
    const reports: RewrapProgress[] = [];
    const crash = new Error('stopped');
    const stopped = await both
      .rewrapKeys({
        batchSize: 2,
        onProgress: async (progress) => {
          reports.push(progress);
          if (reports.length === 2) throw crash;
        },
      })
      .catch((error: unknown) => error);
    expect(stopped).toBe(crash);
    expect(reports.map((r) => [r.scanned, r.rewrapped, r.done])).toEqual([
      [2, 2, false],
      [4, 4, false],
    ]);
    await both.forget('c');
    const resumed = await both.rewrapKeys({ batchSize: 2, after: reports[1]!.after });
    expect(resumed).toMatchObject({ scanned: 2, rewrapped: 1, alreadyCurrent: 1, done: true });
    expect((await keyStore.listKeys()).map((k) => `${k.subjectId}:${k.masterKeyId}`)).toEqual([
      'a:m2',
      'b:m2',
      'd:m2',
      'e:m2',
      'f:m2',
    ]);
    // Run again from the start: nothing left to do.
    expect(await both.rewrapKeys()).toMatchObject({ scanned: 5, rewrapped: 0, alreadyCurrent: 5 });

    // The old master key can now be retired: everything still opens, and "c" stays forgotten.
    const onlyNew = createEncryption({
      keyStore,
      masterKeys: [masterKey('m2', next)],
      currentMasterKeyId: 'm2',
      fields: SEED_FIELDS,
      subjectOf,
    });
    const emails = (await withEncryption(inner, onlyNew).readAll()).map(
      (e) => (e.data as { email: string }).email,
    );
    expect(emails).toEqual([
      'a@example.com',
      'b@example.com',
      '[redacted]',
      'd@example.com',
      'e@example.com',
      'f@example.com',
    ]);
  });
});
