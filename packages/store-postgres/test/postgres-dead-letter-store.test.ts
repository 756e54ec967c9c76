import { deadLetterErrorOf } from '@strata/core';
import { expect, it } from 'vitest';
import { describePostgres, openStore, storeInFreshSchema } from './support/postgres-test-env.js';

describePostgres('PostgresDeadLetterStore (store.deadLetters)', () => {
  const env = storeInFreshSchema();

  it('keeps dead letters in the tables: another store over them lists, counts and removes them', async () => {
    const { lastPosition } = await env.store.append('order-1', [{ type: 'order.placed', data: {} }]);
    const [event] = await env.store.readStream('order-1');
    if (event === undefined) throw new Error('the append wrote nothing');
    await env.store.deadLetters.addDeadLetter({
      projector: 'order-list',
      position: lastPosition,
      eventId: event.id,
      streamId: event.streamId,
      version: event.version,
      eventType: event.type,
      error: deadLetterErrorOf(new TypeError('total is undefined')),
      attempts: 3,
    });

    const peer = await openStore(env.schema);
    try {
      const [letter] = await peer.deadLetters.listDeadLetters('order-list');
      expect(letter).toMatchObject({ position: lastPosition, eventId: event.id, attempts: 3 });
      expect(letter?.error).toMatchObject({ name: 'TypeError', message: 'total is undefined' });
      expect(await peer.deadLetters.countDeadLetters('order-list')).toBe(1);
      expect(await peer.deadLetters.removeDeadLetter('order-list', lastPosition)).toBe(true);
      expect(await env.store.deadLetters.countDeadLetters('order-list')).toBe(0);
    } finally {
      await peer.close();
    }
  });
});
