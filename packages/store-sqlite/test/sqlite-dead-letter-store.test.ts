import { deadLetterErrorOf } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '../src/index.js';
import { tempDatabases } from './temp-database.js';

const databases = tempDatabases();

describe('SqliteDeadLetterStore (store.deadLetters)', () => {
  it('keeps dead letters in the file: another store over it lists, counts and removes them', async () => {
    const path = databases.path();
    const store = createSqliteEventStore({ database: path });
    const { lastPosition } = await store.append('order-1', [{ type: 'order.placed', data: {} }]);
    const [event] = await store.readStream('order-1');
    if (event === undefined) throw new Error('the append wrote nothing');
    await store.deadLetters.addDeadLetter({
      projector: 'order-list',
      position: lastPosition,
      eventId: event.id,
      streamId: event.streamId,
      version: event.version,
      eventType: event.type,
      error: deadLetterErrorOf(new TypeError('total is undefined')),
      attempts: 3,
    });
    await store.close();

    const peer = createSqliteEventStore({ database: path });
    const [letter] = await peer.deadLetters.listDeadLetters('order-list');
    expect(letter).toMatchObject({ position: lastPosition, eventId: event.id, attempts: 3 });
    expect(letter?.error).toMatchObject({ name: 'TypeError', message: 'total is undefined' });
    expect(await peer.deadLetters.countDeadLetters('order-list')).toBe(1);
    expect(await peer.deadLetters.removeDeadLetter('order-list', lastPosition)).toBe(true);
    expect(await peer.deadLetters.countDeadLetters('order-list')).toBe(0);
    await peer.close();
  });
});
