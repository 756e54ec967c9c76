import {
  AggregateRepository,
  AggregateRoot,
  ConcurrencyError,
  type EventHandlers,
  EventRegistry,
  SerializationError,
  StreamNotFoundError,
} from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore } from '../src/index.js';

type AccountEvent =
  | { type: 'account.opened'; data: { owner: string; openedAt: Date } }
  | { type: 'account.deposited'; data: { amount: number } };

class Account extends AggregateRoot<AccountEvent> {
  balance = 0;
  openedAt: Date | undefined;
  protected readonly handlers: EventHandlers<AccountEvent> = {
    'account.opened': ({ openedAt }) => {
      this.openedAt = openedAt;
    },
    'account.deposited': ({ amount }) => {
      this.balance += amount;
    },
  };

  open(owner: string): void {
    this.record('account.opened', { owner, openedAt: new Date('2026-01-02T03:04:05.678Z') });
  }

  deposit(amount: number): void {
    this.record('account.deposited', { amount });
  }
}

function setup() {
  const store = createMemoryEventStore();
  const registry = new EventRegistry().register('account.opened').register('account.deposited');
  const accounts = new AggregateRepository(store, {
    streamType: 'account',
    create: (id) => new Account(id),
    registry,
    batchSize: 3,
  });
  return { store, accounts };
}

describe('AggregateRepository (over the reference store)', () => {
  it('saves with the loaded version and reloads the same state, Dates included', async () => {
    const { store, accounts } = setup();
    const account = new Account('a-1');
    account.open('ada');
    account.deposit(5);
    expect(await accounts.save(account)).toMatchObject({ firstVersion: 1, lastVersion: 2 });
    expect(await accounts.save(account)).toBeUndefined();

    const loaded = await accounts.load('a-1');
    loaded.deposit(7);
    await accounts.save(loaded, { metadata: { userId: 'u-9' } });

    const reloaded = await accounts.load('a-1');
    expect(reloaded.balance).toBe(12);
    expect(reloaded.version).toBe(3);
    expect(reloaded.openedAt).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    const events = await store.readStream('account-a-1');
    expect(events[0]?.streamType).toBe('account');
    expect(events[2]?.metadata).toEqual({ userId: 'u-9' });
  });

  it('loads the state as of an earlier version', async () => {
    const { accounts } = setup();
    const account = new Account('a-1');
    account.open('ada');
    for (const amount of [1, 2, 4, 8, 16]) account.deposit(amount);
    await accounts.save(account);
    const past = await accounts.load('a-1', { toVersion: 4 });
    expect(past.balance).toBe(7);
    expect(past.version).toBe(4);
  });

  it('reports a missing aggregate', async () => {
    const { accounts } = setup();
    await expect(accounts.load('nope')).rejects.toSatisfy(StreamNotFoundError.isInstance);
    expect(await accounts.find('nope')).toBeUndefined();
  });

  it('refuses a save based on stale state', async () => {
    const { accounts } = setup();
    const account = new Account('a-1');
    account.open('ada');
    await accounts.save(account);
    const first = await accounts.load('a-1');
    const second = await accounts.load('a-1');
    first.deposit(1);
    second.deposit(2);
    await accounts.save(first);
    await expect(accounts.save(second)).rejects.toSatisfy(ConcurrencyError.isInstance);
  });

  it('retries a command on fresh state after a conflict', async () => {
    const { accounts } = setup();
    const account = new Account('a-1');
    account.open('ada');
    await accounts.save(account);

    let sneaked = false;
    const retries: number[] = [];
    const result = await accounts.update(
      'a-1',
      async (current) => {
        if (!sneaked) {
          sneaked = true;
          await accounts.update('a-1', (other) => other.deposit(100));
        }
        current.deposit(1);
      },
      { onRetry: (_error, attempt) => retries.push(attempt) },
    );
    expect(retries).toEqual([1]);
    expect(result.balance).toBe(101);
    expect((await accounts.load('a-1')).balance).toBe(101);
  });

  it('gives up after the configured retries', async () => {
    const { accounts } = setup();
    const account = new Account('a-1');
    account.open('ada');
    await accounts.save(account);
    const conflictEveryTime = accounts.update(
      'a-1',
      async (current) => {
        await accounts.update('a-1', (other) => other.deposit(1));
        current.deposit(1);
      },
      { retries: 2 },
    );
    await expect(conflictEveryTime).rejects.toSatisfy(ConcurrencyError.isInstance);
  });

  it('creates the aggregate when asked to', async () => {
    const { accounts } = setup();
    const created = await accounts.update('a-2', (a) => a.open('bob'), { createIfMissing: true });
    expect(created.version).toBe(1);
  });
});

type ProfileEvent = { type: 'profile.set'; data: Record<string, unknown> };

class Profile extends AggregateRoot<ProfileEvent> {
  fields: Record<string, unknown> = {};
  seen: { data: Record<string, unknown>; metadata: Record<string, unknown> }[] = [];
  protected readonly handlers: EventHandlers<ProfileEvent> = {
    'profile.set': (data, event) => {
      this.fields = data;
      this.seen.push({ data, metadata: event.metadata });
    },
  };

  set(fields: Record<string, unknown>): void {
    this.record('profile.set', fields);
  }
}

describe('AggregateRepository with prototype keys in stored payloads', () => {
  // JSON.parse makes "__proto__" an own key: what any writer of the stream can store.
  const crafted = () =>
    JSON.parse('{"__proto__":{"isAdmin":true},"constructor":"c","nested":{"__proto__":{"isAdmin":true}}}');

  function profiles() {
    const store = createMemoryEventStore();
    const registry = new EventRegistry().register('profile.set');
    const repository = new AggregateRepository(store, {
      streamType: 'profile',
      create: (id) => new Profile(id),
      registry,
    });
    return { store, repository };
  }

  it('loads them as own keys: no attacker-chosen prototype', async () => {
    const { store, repository } = profiles();
    await store.append('profile-p-1', [{ type: 'profile.set', data: crafted(), metadata: crafted() }]);
    const profile = await repository.load('p-1');
    const [{ data, metadata }] = profile.seen as [Profile['seen'][number]];
    for (const payload of [data, metadata]) {
      expect((payload as { isAdmin?: unknown }).isAdmin).toBeUndefined();
      expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
      expect(Object.hasOwn(payload, '__proto__')).toBe(true);
      expect(JSON.stringify(payload)).toBe(JSON.stringify(crafted()));
      expect((payload.nested as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    }
  });

  it('saves them as own keys, in data and in the metadata of an update', async () => {
    const { store, repository } = profiles();
    await repository.update('p-1', (profile) => profile.set(crafted()), {
      createIfMissing: true,
      metadata: crafted(),
    });
    const [stored] = await store.readStream('profile-p-1');
    expect(JSON.stringify(stored?.data)).toBe(JSON.stringify(crafted()));
    expect(JSON.stringify(stored?.metadata)).toBe(JSON.stringify(crafted()));
  });

  it.each(['toString', 'constructor', '__proto__'])(
    'a stored event of type %s is a SerializationError, with or without a registry',
    async (type) => {
      const { store, repository } = profiles();
      await store.append('profile-p-1', [{ type, data: {} }]);
      await expect(repository.load('p-1')).rejects.toSatisfy(SerializationError.isInstance);
      const plain = new AggregateRepository(store, {
        streamType: 'profile',
        create: (id) => new Profile(id),
      });
      await expect(plain.load('p-1')).rejects.toSatisfy(SerializationError.isInstance);
    },
  );
});
