import { randomUUID } from 'node:crypto';
import { deadLetterErrorOf } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { mysqlReachable } from './mysql-test-server.js';
import { useTestTables } from './mysql-test-tables.js';

const reachable = await mysqlReachable();

describe.skipIf(!reachable)('MysqlDeadLetterStore (store.deadLetters)', () => {
  const tables = useTestTables();

  it('keeps dead letters in the tables: another store over them lists, counts and removes them', async () => {
    const store = tables.open();
    const streamId = `order-${randomUUID()}`;
    const { lastPosition } = await store.append(streamId, [{ type: 'order.placed', data: {} }]);
    const [event] = await store.readStream(streamId);
    if (event === undefined) throw new Error('the append wrote nothing');
    await store.deadLetters.addDeadLetter({
      projector: 'order-list',
      position: lastPosition,
      eventId: event.id,
      streamId,
      version: event.version,
      eventType: event.type,
      error: deadLetterErrorOf(new TypeError(`total is undefined ${'🎉'.repeat(8_000)}`)),
      attempts: 3,
    });

    const peer = tables.open();
    const [letter] = await peer.deadLetters.listDeadLetters('order-list');
    expect(letter).toMatchObject({ position: lastPosition, eventId: event.id, attempts: 3 });
    // 16,000 UTF-16 units of 4-byte characters: more than a TEXT column holds.
    expect(letter?.error.message).toBe(`total is undefined ${'🎉'.repeat(8_000)}`);
    expect(await peer.deadLetters.countDeadLetters('order-list')).toBe(1);
    expect(await peer.deadLetters.removeDeadLetter('order-list', lastPosition)).toBe(true);
    expect(await store.deadLetters.countDeadLetters('order-list')).toBe(0);
  });
});
