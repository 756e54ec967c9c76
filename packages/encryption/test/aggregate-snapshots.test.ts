import { AggregateRepository, AggregateRoot, type EventHandlers } from '@strata/core';
import { everyNEvents, type SnapshotEvent, snapshotting } from '@strata/snapshots';
import { MemorySnapshotStore } from '@strata/store-memory';
import { describe, expect, it } from 'vitest';
import { withSnapshotEncryption } from '../src/index.js';
import { setup } from './fixtures.js';

type UserEvent =
  | { type: 'UserCreated'; data: { userId: string; name: string; email: string; phone: string } }
  | { type: 'UserRenamed'; data: { userId: string; name: string } };

class User extends AggregateRoot<UserEvent> {
  name = '';
  email = '';
  protected readonly handlers: EventHandlers<UserEvent> = {
    UserCreated: ({ name, email }) => {
      this.name = name;
      this.email = email;
    },
    UserRenamed: ({ name }) => {
      this.name = name;
    },
  };
  create(email: string): void {
    this.record('UserCreated', { userId: this.id, name: 'Ada', email, phone: '+44 20 7946 0000' });
  }
  rename(name: string): void {
    this.record('UserRenamed', { userId: this.id, name });
  }
  protected override snapshotState() {
    return { name: this.name, email: this.email };
  }
  protected override restoreState(state: unknown) {
    ({ name: this.name, email: this.email } = state as { name: string; email: string });
  }
}

/** Users whose personal data is encrypted in events and in snapshots, both under the user's key. */
function users() {
  const { store, encryption } = setup();
  const rawSnapshots = new MemorySnapshotStore();
  const reported: SnapshotEvent[] = [];
  const snapshots = snapshotting({
    store: withSnapshotEncryption(rawSnapshots, encryption, {
      subjectOf: (streamId) => (streamId.startsWith('user-') ? streamId.slice('user-'.length) : undefined),
    }),
    stateVersion: 1,
    strategy: everyNEvents(2),
    onEvent: (event) => reported.push(event),
  });
  const repository = new AggregateRepository(store, {
    streamType: 'user',
    create: (id) => new User(id),
    snapshots,
  });
  return { repository, snapshots, rawSnapshots, encryption, reported };
}

describe('snapshots of encrypted aggregates', () => {
  it('stores the state encrypted and restores it in the clear', async () => {
    const { repository, snapshots, rawSnapshots } = users();
    await repository.update('u-1', (u) => u.create('ada@example.com'), { createIfMissing: true });
    await repository.update('u-1', (u) => u.rename('Ada L.'));
    await snapshots.flush();
    const raw = await rawSnapshots.loadSnapshot('user-u-1');
    expect(raw?.version).toBe(2);
    expect(JSON.stringify(raw)).not.toContain('ada@example.com');
    expect(JSON.stringify(raw)).not.toContain('Ada L.');

    const user = await repository.load('u-1');
    expect(snapshots.stats.restored).toBe(1);
    expect([user.name, user.email, user.version]).toEqual(['Ada L.', 'ada@example.com', 2]);
  });

  it('after forget, the snapshot loads as absent and the aggregate replays with redacted fields', async () => {
    const { repository, snapshots, rawSnapshots, encryption } = users();
    await repository.update('u-1', (u) => u.create('ada@example.com'), { createIfMissing: true });
    await repository.update('u-1', (u) => u.rename('Ada L.'));
    await snapshots.flush();
    await encryption.forget('u-1');

    const user = await repository.load('u-1');
    expect(snapshots.stats.restored).toBe(0);
    expect([user.name, user.email, user.version]).toEqual(['Ada L.', '[redacted]', 2]);
    // The snapshot that is left holds only ciphertext whose key is gone; delete it when convenient.
    expect(JSON.stringify(await rawSnapshots.loadSnapshot('user-u-1'))).not.toContain('ada@example.com');

    // The aggregate keeps working: new events, and new snapshots under a new key.
    await repository.update('u-1', (u) => u.rename('Anonymous'));
    await repository.update('u-1', (u) => u.rename('Anonymous 2'));
    await snapshots.flush();
    const again = await repository.load('u-1');
    expect([again.name, again.email, again.version]).toEqual(['Anonymous 2', '[redacted]', 4]);
    expect(snapshots.stats.restored).toBe(1);
  });

  it('a tampered snapshot is an IntegrityError the snapshotter reports, and the load replays', async () => {
    const { repository, snapshots, rawSnapshots, reported } = users();
    await repository.update('u-1', (u) => u.create('ada@example.com'), { createIfMissing: true });
    await repository.update('u-1', (u) => u.rename('Ada L.'));
    await snapshots.flush();
    const raw = (await rawSnapshots.loadSnapshot('user-u-1'))!;
    const state = raw.state as { ct: string };
    await rawSnapshots.saveSnapshot({
      ...raw,
      state: { ...state, ct: Buffer.from('forged').toString('base64') },
    });

    const user = await repository.load('u-1');
    expect([user.name, user.email]).toEqual(['Ada L.', 'ada@example.com']);
    const failure = reported.find((event) => event.type === 'ignored');
    expect(failure).toMatchObject({ reason: 'load-failed' });
    expect(String((failure as { error?: unknown }).error)).toMatch(
      /IntegrityError.*snapshot of stream "user-u-1"/,
    );
  });
});
