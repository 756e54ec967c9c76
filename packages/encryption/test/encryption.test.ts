import { randomBytes } from 'node:crypto';
import { ValidationError } from '@strata/core';
import { MemoryKeyStore } from '@strata/store-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEncryption, ENVELOPE_MARK, IntegrityError, masterKey, withEncryption } from '../src/index.js';
import { paymentProcessed, SEED_FIELDS, setup, tampered, userCreated } from './fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('round trips', () => {
  it('every read path returns the plaintext; storage holds one envelope per event for its configured fields', async () => {
    const { store, inner } = setup();
    const appended = await store.append('user-u-1', [
      userCreated('u-1', 'ada@example.com'),
      paymentProcessed('u-1', '4111111111111111'),
    ]);
    await store.append('user-u-2', [
      userCreated('u-2', 'grace@example.com'),
      { type: 'Other', data: { email: 'x' } },
    ]);
    const expected = [
      userCreated('u-1', 'ada@example.com').data,
      paymentProcessed('u-1', '4111111111111111').data,
    ];

    expect(appended.events?.map((e) => e.data)).toEqual(expected);
    expect((await store.readStream('user-u-1')).map((e) => e.data)).toEqual(expected);
    expect((await store.readStreams(['user-u-1'])).get('user-u-1')?.map((e) => e.data)).toEqual(expected);
    const all = await store.readAll();
    expect(all.map((e) => e.data)).toEqual([
      ...expected,
      userCreated('u-2', 'grace@example.com').data,
      { email: 'x' },
    ]);

    const stored = await inner.readAll();
    const text = JSON.stringify(stored.map((e) => e.data));
    for (const secret of [
      'ada@example.com',
      'grace@example.com',
      '4111111111111111',
      '+44 20 7946 0000',
      '1 Main St',
    ]) {
      expect(text).not.toContain(secret);
    }
    const payment = stored[1]!.data as Record<string, Record<string, unknown>>;
    // The fields are taken out, nested ones too, and sealed together in one envelope.
    expect(payment[ENVELOPE_MARK]).toMatchObject({
      v: 2,
      alg: 'AES-256-GCM',
      kv: 1,
      paths: ['card_number', 'cvv', 'billing.address'],
    });
    expect(Object.keys(payment)).toEqual(['userId', 'amount', 'billing', ENVELOPE_MARK]);
    expect(payment.billing).toEqual({ city: 'London' });
    expect(payment.amount).toBe(1250);
    // Fields of types that are not configured, and unencrypted fields, are stored as they are.
    expect(stored[3]!.data).toEqual({ email: 'x' });
  });

  it('encrypts the same value twice with a fresh IV, and never changes the caller’s data', async () => {
    const { store, inner } = setup();
    const events = [userCreated('u-1', 'same@example.com'), userCreated('u-1', 'same@example.com')];
    const copy = structuredClone(events);
    await store.append('user-u-1', events);
    expect(events).toEqual(copy);
    const [a, b] = (await inner.readAll()).map(
      (e) => (e.data as Record<string, { ct: string }>)[ENVELOPE_MARK]!.ct,
    );
    // The IV is the first 12 bytes of `ct`.
    const ivOf = (ct: string) => Buffer.from(ct, 'base64').subarray(0, 12).toString('hex');
    expect(ivOf(a!)).not.toBe(ivOf(b!));
    expect(a).not.toBe(b);
  });

  it('binds streams and subjects named beyond the BMP, and seals fields far larger than its scratch space', async () => {
    const { store, inner, encryption } = setup();
    const big = 'x'.repeat(300_000);
    await store.append('user-🦄', [userCreated('🦄', 'unicorn@example.com'), userCreated('🦄', big)]);
    const [small, large] = await store.readStream('user-🦄');
    expect(small!.data).toMatchObject({ userId: '🦄', email: 'unicorn@example.com' });
    expect((large!.data as { email: string }).email).toBe(big);
    // Still bound: the envelope moved to another stream of the same subject does not open.
    await store.append('user-🦄-copy', [userCreated('🦄', 'other@example.com')]);
    const [source] = await inner.readStream('user-🦄');
    const moved = tampered(inner, (event) =>
      event.streamId === 'user-🦄-copy'
        ? {
            ...event,
            data: {
              ...(event.data as object),
              [ENVELOPE_MARK]: (source!.data as Record<string, unknown>)[ENVELOPE_MARK],
            },
          }
        : event,
    );
    await expect(withEncryption(moved, encryption).readStream('user-🦄-copy')).rejects.toSatisfy(
      IntegrityError.isInstance,
    );
  });

  it('refuses bad input before any key is made or anything written', async () => {
    const { store, inner, keyStore } = setup();
    const refused = async (run: () => Promise<unknown>) => {
      const error = await run().catch((e: unknown) => e);
      expect(ValidationError.isInstance(error), String(error)).toBe(true);
      return (error as ValidationError).path;
    };
    expect(
      await refused(() =>
        store.append('s', [{ type: 'UserCreated', data: { userId: 'u', email: Number.NaN } }]),
      ),
    ).toBe('events[0].data.email');
    expect(await refused(() => store.append('s', [userCreated('', 'a@b')]))).toBe('events[0]');
    expect(
      await refused(() =>
        store.append('s', [{ type: 'UserCreated', data: { userId: 'u', email: { [ENVELOPE_MARK]: 1 } } }]),
      ),
    ).toBe('events[0].data.email');
    expect(
      await refused(() =>
        store.append('s', [
          { type: 'UserCreated', data: { userId: 'u', name: 'n', [ENVELOPE_MARK]: { v: 2 } } },
        ]),
      ),
    ).toBe(`events[0].data.${ENVELOPE_MARK}`);
    expect(await inner.readAll()).toEqual([]);
    expect(await keyStore.listKeys()).toEqual([]);
  });

  it('checks its options when created', () => {
    const base = {
      keyStore: new MemoryKeyStore(),
      masterKeys: [masterKey('m1', randomBytes(32))],
      currentMasterKeyId: 'm1',
      fields: SEED_FIELDS,
      subjectOf: () => 'x',
    };
    const pathOf = (change: object) => {
      try {
        createEncryption({ ...base, ...change });
      } catch (error) {
        if (ValidationError.isInstance(error)) return error.path;
        throw error;
      }
    };
    expect(() => masterKey('short', randomBytes(16))).toThrow(/must be 32 bytes/);
    expect(pathOf({ currentMasterKeyId: 'm2' })).toBe('options.currentMasterKeyId');
    expect(pathOf({ fields: { UserCreated: ['a..b'] } })).toBe('options.fields["UserCreated"][0]');
    expect(pathOf({ cache: { ttlMs: -1 } })).toBe('options.cache.ttlMs');
    expect(pathOf({ masterKeys: [randomBytes(32)] })).toBe('options.masterKeys[0]');
  });
});

describe('tampering and wrong keys', () => {
  it('a changed IV, tag or ciphertext is an IntegrityError naming the event and the fields, never garbage', async () => {
    const { inner, encryption } = setup();
    await withEncryption(inner, encryption).append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    const [stored] = await inner.readAll();
    // `ct` holds the IV (bytes 0-11), the tag (12-27) and the ciphertext (28 on).
    for (const offset of [0, 12, 28]) {
      const flipped = tampered(inner, (event) => {
        const data = structuredClone(event.data) as Record<string, { ct: string }>;
        const bytes = Buffer.from(data[ENVELOPE_MARK]!.ct, 'base64');
        bytes[offset]! ^= 1;
        data[ENVELOPE_MARK]!.ct = bytes.toString('base64');
        return { ...event, data };
      });
      const error = await withEncryption(flipped, encryption)
        .readAll()
        .catch((e: unknown) => e);
      expect(IntegrityError.isInstance(error), `byte ${offset}`).toBe(true);
      expect(error).toMatchObject({
        code: 'STRATA_INTEGRITY',
        name: 'IntegrityError',
        eventId: stored!.id,
        field: 'email, phone',
      });
      expect((error as Error).message).toContain(stored!.id);
      expect((error as Error).message).toContain('"email, phone"');
    }
  });

  it('a changed or malformed envelope is an IntegrityError, never a half-opened event', async () => {
    const { inner, encryption } = setup();
    await withEncryption(inner, encryption).append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    const changedTo = (change: (envelope: Record<string, unknown>) => void) =>
      withEncryption(
        tampered(inner, (event) => {
          const data = structuredClone(event.data) as Record<string, Record<string, unknown>>;
          change(data[ENVELOPE_MARK]!);
          return { ...event, data };
        }),
        encryption,
      ).readAll();
    // The paths are authenticated: a field cannot be moved, dropped or added.
    await expect(changedTo((e) => (e.paths = ['phone', 'email']))).rejects.toSatisfy(
      IntegrityError.isInstance,
    );
    await expect(changedTo((e) => (e.paths = ['email']))).rejects.toSatisfy(IntegrityError.isInstance);
    await expect(changedTo((e) => (e.v = 3))).rejects.toThrow(/envelope version 3 is not known/);
    await expect(changedTo((e) => (e.alg = 'AES-128-CBC'))).rejects.toThrow(/algorithm AES-128-CBC/);
    await expect(changedTo((e) => (e.paths = []))).rejects.toThrow(/field paths are missing/);
    await expect(changedTo((e) => (e.ct = 'AAAA'))).rejects.toSatisfy(IntegrityError.isInstance);
    // The rest of the data is not encrypted, but a path that no longer leads anywhere is no field.
    const { inner: paid, encryption: paying, store } = setup();
    await store.append('user-u-1', [paymentProcessed('u-1', '4111111111111111')]);
    const billingAsText = tampered(paid, (event) => ({
      ...event,
      data: { ...(event.data as object), billing: 'London' },
    }));
    await expect(withEncryption(billingAsText, paying).readAll()).rejects.toThrow(
      /field "card_number, cvv, billing.address" .*crosses a value that is not an object/,
    );
    await expect(
      changedTo((e) => {
        e.kid = 'another-key';
        e.sub = 'another-subject';
      }),
    ).rejects.toThrow(/sealed for another subject/);
  });

  it('a ciphertext moved to another event fails', async () => {
    const { inner, encryption } = setup();
    const store = withEncryption(inner, encryption);
    await store.append('user-u-1', [
      userCreated('u-1', 'ada@example.com'),
      userCreated('u-1', 'ada2@example.com'),
    ]);
    await store.append('user-u-2', [userCreated('u-2', 'grace@example.com')]);
    const stored = await inner.readAll();
    const envelopeOf = (i: number, _field: 'email') =>
      (stored[i]!.data as Record<string, unknown>)[ENVELOPE_MARK];
    const withEnvelope = (data: unknown, envelope: unknown) => ({
      ...(data as object),
      [ENVELOPE_MARK]: envelope,
    });

    // Another event of the same stream, type and subject: the event id is bound too.
    const toSibling = tampered(inner, (e) =>
      e.id === stored[1]!.id ? { ...e, data: withEnvelope(e.data, envelopeOf(0, 'email')) } : e,
    );
    const sibling = await withEncryption(toSibling, encryption)
      .readStream('user-u-1')
      .catch((e: unknown) => e);
    expect(IntegrityError.isInstance(sibling)).toBe(true);
    expect(sibling).toMatchObject({ eventId: stored[1]!.id, field: 'email, phone' });

    // Another user's event: another subject, so another key and another binding.
    const toOtherUser = tampered(inner, (e) =>
      e.id === stored[2]!.id ? { ...e, data: withEnvelope(e.data, envelopeOf(0, 'email')) } : e,
    );
    await expect(withEncryption(toOtherUser, encryption).readStream('user-u-2')).rejects.toSatisfy(
      IntegrityError.isInstance,
    );

    // The same user's event in another stream: the stream is bound too.
    await store.append('user-u-1-copy', [userCreated('u-1', 'x@example.com')]);
    const copyId = (await inner.readStream('user-u-1-copy'))[0]!.id;
    const toOtherStream = tampered(inner, (e) =>
      e.id === copyId ? { ...e, data: withEnvelope(e.data, envelopeOf(0, 'email')) } : e,
    );
    await expect(withEncryption(toOtherStream, encryption).readStream('user-u-1-copy')).rejects.toSatisfy(
      IntegrityError.isInstance,
    );
  });

  it('a wrong master key is an IntegrityError naming the event, never garbage', async () => {
    const { inner, keyStore, store } = setup();
    await store.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    const wrong = createEncryption({
      keyStore,
      masterKeys: [masterKey('m1', randomBytes(32))],
      currentMasterKeyId: 'm1',
      fields: SEED_FIELDS,
      subjectOf: (event) => (event.data as { userId: string }).userId,
    });
    const error = await withEncryption(inner, wrong)
      .readAll()
      .catch((e: unknown) => e);
    expect(IntegrityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field: 'email, phone', subjectId: 'u-1', eventType: 'UserCreated' });
    expect((error as Error).message).toMatch(/does not unwrap with master key "m1"/);

    const missing = createEncryption({
      keyStore,
      masterKeys: [masterKey('m9', randomBytes(32))],
      currentMasterKeyId: 'm9',
      fields: SEED_FIELDS,
      subjectOf: (event) => (event.data as { userId: string }).userId,
    });
    await expect(withEncryption(inner, missing).readAll()).rejects.toThrow(
      /master key "m1", which is not configured/,
    );
  });
});

describe('forgetting a subject (crypto-shredding)', () => {
  it('its events still read, with redacted fields; other subjects are untouched', async () => {
    const { store, encryption, keyStore } = setup();
    await store.append('user-u-1', [
      userCreated('u-1', 'ada@example.com'),
      paymentProcessed('u-1', '4111111111111111'),
    ]);
    await store.append('user-u-2', [userCreated('u-2', 'grace@example.com')]);
    expect(await encryption.forget('u-1')).toBe(1);
    expect(await keyStore.latestKey('u-1')).toBeUndefined();

    const [created, payment] = await store.readStream('user-u-1');
    expect(created!.data).toEqual({
      userId: 'u-1',
      name: 'user u-1',
      email: '[redacted]',
      phone: '[redacted]',
    });
    expect(payment!.data).toMatchObject({
      amount: 1250,
      card_number: '[redacted]',
      cvv: '[redacted]',
      billing: { city: 'London', address: '[redacted]' },
    });
    expect((await store.readStream('user-u-2'))[0]!.data).toMatchObject({ email: 'grace@example.com' });

    // A projection rebuilt from the log sees every event: a forgotten user's order history still adds up.
    const totals = new Map<string, number>();
    for (const event of await store.readAll()) {
      const data = event.data as { userId: string; amount?: number };
      totals.set(data.userId, (totals.get(data.userId) ?? 0) + (data.amount ?? 0));
    }
    expect(totals).toEqual(
      new Map([
        ['u-1', 1250],
        ['u-2', 0],
      ]),
    );
  });

  it('the marker is configurable, and a new key after forgetting never opens the old fields', async () => {
    const { store, encryption } = setup({ redacted: { redacted: true } });
    await store.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    await encryption.forget('u-1');
    await store.append('user-u-1', [userCreated('u-1', 'new@example.com')]);
    const [old, fresh] = await store.readStream('user-u-1');
    expect(old!.data).toMatchObject({ email: { redacted: true } });
    expect(fresh!.data).toMatchObject({ email: 'new@example.com' });
  });

  it('another process keeps reading from its cache until the TTL ends; this one forgets at once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const here = setup({ cache: { ttlMs: 30_000 } });
    // The other process shares the key store and the master key, and has its own cache.
    const other = withEncryption(
      here.inner,
      createEncryption({
        keyStore: here.keyStore,
        masterKeys: [masterKey('m1', here.master)],
        currentMasterKeyId: 'm1',
        fields: SEED_FIELDS,
        subjectOf: (event) => (event.data as { userId: string }).userId,
        cache: { ttlMs: 30_000 },
      }),
    );
    await here.store.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    expect((await other.readAll())[0]!.data).toMatchObject({ email: 'ada@example.com' });

    await here.encryption.forget('u-1');
    expect((await here.store.readAll())[0]!.data).toMatchObject({ email: '[redacted]' });
    vi.advanceTimersByTime(29_000);
    expect((await other.readAll())[0]!.data).toMatchObject({ email: 'ada@example.com' });
    vi.advanceTimersByTime(1_001);
    expect((await other.readAll())[0]!.data).toMatchObject({ email: '[redacted]' });
  });
});

describe('the data-key cache', () => {
  it('reads a subject’s key from the key store once for many events, until the TTL ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const writer = setup();
    await writer.store.append(
      'user-u-1',
      Array.from({ length: 50 }, (_, i) => userCreated('u-1', `ada+${i}@example.com`)),
    );
    const reader = setup({ keyStore: writer.keyStore, master: writer.master, cache: { ttlMs: 1_000 } });
    const store = withEncryption(writer.inner, reader.encryption);
    const before = writer.keyStore.calls.getKey;
    await store.readStream('user-u-1');
    await store.readAll();
    expect(writer.keyStore.calls.getKey - before).toBe(1);
    vi.advanceTimersByTime(1_001);
    await store.readAll();
    expect(writer.keyStore.calls.getKey - before).toBe(2);
  });

  it('keeps at most maxSubjects subjects, dropping the least recently used', async () => {
    const { store, keyStore, inner, master } = setup();
    for (const user of ['a', 'b', 'c'])
      await store.append(`user-${user}`, [userCreated(user, `${user}@example.com`)]);
    const reader = setup({ keyStore, master, cache: { maxSubjects: 2 } });
    const read = withEncryption(inner, reader.encryption);
    const before = keyStore.calls.getKey;
    await read.readStream('user-a');
    await read.readStream('user-b');
    await read.readStream('user-a');
    expect(keyStore.calls.getKey - before).toBe(2);
    await read.readStream('user-c'); // evicts b, the least recently used
    await read.readStream('user-a');
    expect(keyStore.calls.getKey - before).toBe(3);
    await read.readStream('user-b');
    expect(keyStore.calls.getKey - before).toBe(4);
  });
});
