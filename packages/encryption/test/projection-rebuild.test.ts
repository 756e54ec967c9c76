import { defineProjector, ProjectionRunner } from '@strata/projections';
import { MemoryCheckpointStore, MemoryDeadLetterStore } from '@strata/store-memory';
import { expect, it } from 'vitest';
import { paymentProcessed, setup, userCreated } from './fixtures.js';

type Events =
  | { type: 'UserCreated'; data: { userId: string; email: string } }
  | { type: 'PaymentProcessed'; data: { userId: string; amount: number; card_number: string } };

it('after forget, a projection rebuilt from the log sees the marker, and the runner neither fails nor dead-letters', async () => {
  const { store, encryption } = setup();
  await store.append('user-u-1', [
    userCreated('u-1', 'ada@example.com'),
    paymentProcessed('u-1', '4111111111111111'),
  ]);
  await store.append('user-u-2', [
    userCreated('u-2', 'grace@example.com'),
    paymentProcessed('u-2', '5500000000000004'),
  ]);

  const checkpoints = new MemoryCheckpointStore();
  const deadLetters = new MemoryDeadLetterStore();
  const build = () => {
    const users = new Map<string, { email: string; spent: number; lastCard: string }>();
    const projector = defineProjector<Events>({
      name: 'user-directory',
      handlers: {
        UserCreated: ({ userId, email }) => {
          users.set(userId, { email, spent: 0, lastCard: '' });
        },
        PaymentProcessed: ({ userId, amount, card_number }) => {
          const user = users.get(userId)!;
          users.set(userId, { ...user, spent: user.spent + amount, lastCard: card_number.slice(-4) });
        },
      },
    });
    const runner = new ProjectionRunner({
      store,
      checkpoints,
      projector,
      deadLetters,
    });
    return { users, runner };
  };

  const before = build();
  await before.runner.catchUp();
  expect(before.users.get('u-1')).toEqual({ email: 'ada@example.com', spent: 1250, lastCard: '1111' });

  await encryption.forget('u-1');
  // The read model holds plaintext: forgetting there is a rebuild (or a delete of the user's rows).
  await checkpoints.deleteCheckpoint('user-directory');
  const after = build();
  expect(await after.runner.catchUp()).toBe(4);
  expect(after.runner.status()).toMatchObject({ state: 'stopped', eventsProcessed: 4, deadLettered: 0 });
  expect(await deadLetters.countDeadLetters('user-directory')).toBe(0);
  expect(after.users.get('u-1')).toEqual({ email: '[redacted]', spent: 1250, lastCard: 'ted]' });
  expect(after.users.get('u-2')).toEqual({ email: 'grace@example.com', spent: 1250, lastCard: '0004' });
});
