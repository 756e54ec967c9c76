import { type EventStore, supportsEventRewrite, supportsEventRewriteBatch } from '@strata/core';
import { MemoryCheckpointStore } from '@strata/store-memory';
import { defineUpcasters, migrateEvents, withUpcasting } from '@strata/upcasting';
import { bareEventStore } from '@strata/vitest-preset/bare-event-store';
import { describe, expect, it } from 'vitest';
import { withEncryption } from '../src/index.js';
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

const userCreated = (userId: string, email: string) => ({
  type: 'UserCreated',
  data: { userId, full_name: `User ${userId}`, email },
});

describe('an eager migration through withEncryption', () => {
  it('re-encrypts the rewritten fields under the new type; reads equal lazy upcasting; no plaintext stored', async () => {
    const { inner, encryption } = setup({ fields: { UserCreated: ['email'], 'user.registered': ['email'] } });
    const encrypted = withEncryption(inner, encryption);
    await encrypted.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    await encrypted.append('user-u-2', [userCreated('u-2', 'grace@example.com')]);
    const lazily = await withUpcasting(encrypted, chain).readAll();

    const report = await migrateEvents(encrypted, chain, { checkpoints: new MemoryCheckpointStore() });
    expect(report.rewritten).toBe(2);
    const stored = await inner.readAll();
    expect(stored.map((e) => [e.type, e.schemaVersion])).toEqual([
      ['user.registered', 2],
      ['user.registered', 2],
    ]);
    expect(JSON.stringify(stored.map((e) => e.data))).not.toMatch(/ada@example|grace@example/);
    // Bound to the new type: a rename that kept the old ciphertext would fail here with IntegrityError.
    expect(await encrypted.readAll()).toEqual(lazily);
    expect(await withUpcasting(encrypted, chain).readAll()).toEqual(lazily);
  });

  it("a forgotten subject's fields stay redacted after the migration", async () => {
    const { inner, encryption } = setup({ fields: { UserCreated: ['email'], 'user.registered': ['email'] } });
    const encrypted = withEncryption(inner, encryption);
    await encrypted.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    await encryption.forget('u-1');
    await migrateEvents(encrypted, chain, { checkpoints: new MemoryCheckpointStore() });
    const [event] = await encrypted.readStream('user-u-1');
    expect(event).toMatchObject({ type: 'user.registered', schemaVersion: 2 });
    expect((event!.data as { email: unknown }).email).toBe('[redacted]');
    expect(JSON.stringify((await inner.readAll()).map((e) => e.data))).not.toMatch(/ada@example/);
  });

  it('passes the capability on only when the wrapped store has it', () => {
    const { inner, encryption } = setup();
    expect(supportsEventRewrite(withEncryption(inner, encryption))).toBe(true);
    const without: EventStore = bareEventStore(inner);
    expect(supportsEventRewrite(withEncryption(without, encryption))).toBe(false);
  });

  it('passes the batch form on only when the wrapped store has it', () => {
    const { inner, encryption } = setup();
    expect(supportsEventRewriteBatch(withEncryption(inner, encryption))).toBe(true);
    const oneAtATime = {
      ...bareEventStore(inner),
      rewriteEvent: inner.rewriteEvent.bind(inner),
    } as EventStore;
    const wrapped = withEncryption(oneAtATime, encryption);
    expect(supportsEventRewrite(wrapped)).toBe(true);
    expect(supportsEventRewriteBatch(wrapped)).toBe(false);
  });

  it('a batch is sealed whole before any write: bad input anywhere writes nothing', async () => {
    const { inner, encryption } = setup({ fields: { 'user.registered': ['email'] } });
    const encrypted = withEncryption(inner, encryption) as EventStore & {
      rewriteEvents(rewrites: unknown[]): Promise<void>;
    };
    await encrypted.append('user-u-1', [userCreated('u-1', 'ada@example.com')]);
    await encrypted.append('user-u-2', [userCreated('u-2', 'grace@example.com')]);
    const stored = await inner.readAll();
    const rewrites = stored.map((event) => ({
      streamId: event.streamId,
      version: event.version,
      id: event.id,
      position: event.position,
      expectedType: event.type,
      expectedSchemaVersion: event.schemaVersion,
      type: 'user.registered',
      schemaVersion: 2,
      data: { userId: 'x', name: 'X', email: 'new@example.com' },
      metadata: {},
    }));
    const bad = [rewrites[0], { ...rewrites[1], schemaVersion: 0 }];
    await expect(encrypted.rewriteEvents(bad)).rejects.toMatchObject({ path: 'rewrites[1].schemaVersion' });
    expect(await inner.readAll()).toEqual(stored);
    await encrypted.rewriteEvents(rewrites);
    expect(JSON.stringify((await inner.readAll()).map((e) => e.data))).not.toMatch(/new@example/);
    expect((await encrypted.readAll()).map((e) => (e.data as { email: string }).email)).toEqual([
      'new@example.com',
      'new@example.com',
    ]);
  });
});
