import { compareKeys, type KeyStore, StrataError, type WrappedDataKey } from '@strata/core';
import { describe, expect } from 'vitest';
import { kitTest } from './kit-test.js';
import { type StoreKitOptions, useStores, validationPath } from './snapshot-store-kit.js';
import { uniqueEventId, uniqueStreamId } from './unique-names.js';

/** How many writers race to create one key, and how many times the race is run. */
const RACERS = 8;
const ROUNDS = 5;

/** A wrapped key of `subjectId` as an encryption layer would make one (the bytes are arbitrary). */
function keyOf(subjectId: string, version: number, masterKeyId = 'master-1'): WrappedDataKey {
  const bytes = Buffer.from(`${uniqueEventId()}:${version}:${masterKeyId}`);
  return { subjectId, version, keyId: uniqueEventId(), masterKeyId, wrappedKey: bytes.toString('base64') };
}

/** (subjectId, version) with subject ids by code points: the order of UTF-8 bytes. */
function compareKeysByCodePoints(a: WrappedDataKey, b: WrappedDataKey): number {
  const bySubject = Buffer.compare(Buffer.from(a.subjectId), Buffer.from(b.subjectId));
  return bySubject !== 0 ? bySubject : a.version - b.version;
}

/**
 * The `KeyStore` contract: wrapped data keys per (subject, version), created if absent atomically,
 * destroyed per subject for good, listed in a stable order for a resumable re-wrap (subject ids by
 * UTF-16 code units or by code points, as the store sorts them), and re-wrapped
 * by compare-and-set that never brings a destroyed key back.
 */
export function describeKeyStore(name: string, options: StoreKitOptions<KeyStore>): void {
  describe(name, () => {
    const open = useStores(options);

    kitTest('creates, gets and destroys keys per subject, each version exactly', async () => {
      const store = await open();
      const subject = uniqueStreamId('key');
      expect(await store.getKey(subject, 1)).toBeUndefined();
      expect(await store.latestKey(subject)).toBeUndefined();
      const [one, two] = [keyOf(subject, 1), keyOf(subject, 2)];
      expect(await store.createKey(one)).toEqual(one);
      expect(await store.createKey(two)).toEqual(two);
      expect(await store.getKey(subject, 1)).toEqual(one);
      expect(await store.getKey(subject, 2)).toEqual(two);
      expect(await store.getKey(subject, 3)).toBeUndefined();
      expect(await store.latestKey(subject)).toEqual(two);
      expect(await store.destroyKeys(subject)).toBe(2);
      expect(await store.getKey(subject, 1)).toBeUndefined();
      expect(await store.latestKey(subject)).toBeUndefined();
      expect(await store.destroyKeys(subject)).toBe(0);
    });

    kitTest('keeps subjects apart, in creating and in destroying', async () => {
      const store = await open();
      // One id extends the other, as a `LIKE 'id%'` or a key prefix scan would confuse them.
      const a = uniqueStreamId('key');
      const b = `${a}-2`;
      const [keyA, keyB] = [keyOf(a, 1), keyOf(b, 1)];
      await store.createKey(keyA);
      await store.createKey(keyB);
      expect(await store.destroyKeys(a)).toBe(1);
      expect(await store.getKey(a, 1)).toBeUndefined();
      expect(await store.getKey(b, 1)).toEqual(keyB);
    });

    kitTest('a create of an existing version keeps the stored key and returns it', async () => {
      const store = await open();
      const subject = uniqueStreamId('key');
      const first = keyOf(subject, 1);
      await store.createKey(first);
      expect(await store.createKey(keyOf(subject, 1, 'master-2'))).toEqual(first);
      expect(await store.getKey(subject, 1)).toEqual(first);
    });

    kitTest('writers creating one subject key at once: one key is stored, every round', async () => {
      const store = await open();
      for (let round = 0; round < ROUNDS; round++) {
        const subject = uniqueStreamId('key-race');
        const candidates = Array.from({ length: RACERS }, () => keyOf(subject, 1));
        const results = await Promise.all(candidates.map((key) => store.createKey(key)));
        const stored = await store.getKey(subject, 1);
        expect(candidates, `round ${round}: the stored key is one of the candidates`).toContainEqual(stored);
        expect(results, `round ${round}: every creator gets the stored key back`).toEqual(
          results.map(() => stored),
        );
      }
    });

    kitTest('lists every key once, in (subject, version) order, resuming after the last key', async () => {
      const store = await open();
      const prefix = uniqueStreamId('key-list');
      const keys = [keyOf(`${prefix}-b`, 1), keyOf(`${prefix}-a`, 2), keyOf(`${prefix}-a`, 1)];
      keys.push(keyOf(`${prefix}-B`, 1), keyOf(`${prefix}-a`, 10));
      for (const key of keys) await store.createKey(key);
      const listed: WrappedDataKey[] = [];
      // Start just before this test's subjects: other tests' keys may share the store.
      let after = { subjectId: prefix, version: Number.MAX_SAFE_INTEGER };
      for (;;) {
        const page = await store.listKeys({ after, limit: 2 });
        const own = page.filter((key) => key.subjectId.startsWith(prefix));
        listed.push(...own);
        if (own.length < page.length || page.length < 2) break;
        after = page.at(-1)!;
      }
      const expected = [`${prefix}-B@1`, `${prefix}-a@1`, `${prefix}-a@2`, `${prefix}-a@10`, `${prefix}-b@1`];
      expect(listed.map((key) => `${key.subjectId}@${key.version}`)).toEqual(expected);
      expect(listed[0]).toEqual(keys[3]);
    });

    kitTest(
      'pages past characters above U+FFFF, visiting every key once, in one of the two orders',
      async () => {
        const store = await open();
        const prefix = uniqueStreamId('key-astral');
        // UTF-16 code units put U+1F600 (a surrogate pair, 0xD83D…) before U+E000; code points (and
        // UTF-8 bytes, a binary collation, Redis lex order) put it after U+FFFF. Either order is
        // allowed; resuming in one while sorting in the other skips keys.
        const tails = ['\uE000', '\u{1F600}', '\uFFFF', 'z', '\u{10FFFF}', '\uE000\u{1F600}'];
        const keys = tails.map((tail) => keyOf(`${prefix}-${tail}`, 1));
        keys.push(keyOf(`${prefix}-\u{1F600}`, 2));
        for (const key of keys) await store.createKey(key);
        const listed: WrappedDataKey[] = [];
        let after = { subjectId: prefix, version: Number.MAX_SAFE_INTEGER };
        for (let pages = 0; pages <= keys.length; pages++) {
          const page = await store.listKeys({ after, limit: 1 });
          const own = page.filter((key) => key.subjectId.startsWith(prefix));
          listed.push(...own);
          if (own.length < page.length || page.length < 1) break;
          after = page.at(-1)!;
        }
        const label = (key: WrappedDataKey) => `${key.subjectId}@${key.version}`;
        expect(listed.map(label).sort(), 'every key listed exactly once').toEqual(keys.map(label).sort());
        const byUnits = [...keys].sort(compareKeys).map(label);
        const byCodePoints = [...keys].sort(compareKeysByCodePoints).map(label);
        expect([byUnits, byCodePoints], 'subjects by UTF-16 code units or by code points').toContainEqual(
          listed.map(label),
        );
      },
    );

    kitTest('a re-wrap replaces the wrapping only from the expected master key', async () => {
      const store = await open();
      const subject = uniqueStreamId('key-rewrap');
      const key = keyOf(subject, 1, 'master-1');
      await store.createKey(key);
      const rewrapped = {
        ...key,
        masterKeyId: 'master-2',
        wrappedKey: Buffer.from('new').toString('base64'),
      };
      expect(await store.rewrapKey(rewrapped, 'master-0')).toBe(false);
      expect(await store.getKey(subject, 1)).toEqual(key);
      expect(await store.rewrapKey({ ...rewrapped, keyId: uniqueEventId() }, 'master-1')).toBe(false);
      expect(await store.getKey(subject, 1)).toEqual(key);
      expect(await store.rewrapKey(rewrapped, 'master-1')).toBe(true);
      expect(await store.getKey(subject, 1)).toEqual(rewrapped);
      // A second re-wrapper that read the old wrapping loses: the key is wrapped once.
      expect(await store.rewrapKey({ ...rewrapped, masterKeyId: 'master-3' }, 'master-1')).toBe(false);
      expect(await store.getKey(subject, 1)).toEqual(rewrapped);
    });

    kitTest('a re-wrap of a destroyed key writes nothing: a forgotten subject stays forgotten', async () => {
      const store = await open();
      const subject = uniqueStreamId('key-forgotten');
      const key = keyOf(subject, 1, 'master-1');
      await store.createKey(key);
      await store.destroyKeys(subject);
      expect(await store.rewrapKey({ ...key, masterKeyId: 'master-2' }, 'master-1')).toBe(false);
      expect(await store.getKey(subject, 1)).toBeUndefined();
      expect(await store.latestKey(subject)).toBeUndefined();
    });

    kitTest('returns copies: changing a returned key changes nothing stored', async () => {
      const store = await open();
      const subject = uniqueStreamId('key-copy');
      const key = keyOf(subject, 1);
      const created = await store.createKey(key);
      created.wrappedKey = 'AAAA';
      key.wrappedKey = 'BBBB';
      const loaded = (await store.getKey(subject, 1))!;
      loaded.masterKeyId = 'changed';
      const again = await store.getKey(subject, 1);
      expect(again?.masterKeyId).toBe('master-1');
      expect(again?.wrappedKey).not.toBe('AAAA');
      expect(again?.wrappedKey).not.toBe('BBBB');
    });

    kitTest('rejects bad subjects, versions and keys with a ValidationError, writing nothing', async () => {
      const store = await open();
      const subject = uniqueStreamId('key-bad');
      const create = (change: Partial<Record<keyof WrappedDataKey, unknown>>) =>
        store.createKey({ ...keyOf(subject, 1), ...change } as WrappedDataKey);
      expect(await validationPath(() => create({ subjectId: '' }))).toBe('key.subjectId');
      expect(await validationPath(() => create({ version: 0 }))).toBe('key.version');
      expect(await validationPath(() => create({ version: '1' }))).toBe('key.version');
      expect(await validationPath(() => create({ keyId: 'x'.repeat(300) }))).toBe('key.keyId');
      expect(await validationPath(() => create({ wrappedKey: '' }))).toBe('key.wrappedKey');
      expect(await validationPath(() => store.listKeys({ limit: 0 }))).toBe('options.limit');
      expect(await store.latestKey(subject)).toBeUndefined();
      await expect(store.getKey('', 1)).rejects.toSatisfy(StrataError.isInstance);
      await expect(store.getKey(subject, -1)).rejects.toSatisfy(StrataError.isInstance);
      await expect(store.destroyKeys('')).rejects.toSatisfy(StrataError.isInstance);
    });
  });
}
