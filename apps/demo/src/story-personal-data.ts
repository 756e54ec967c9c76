import { randomBytes } from 'node:crypto';
import { AggregateRepository, type EventStore, iterateAll, type KeyStore } from '@strata/core';
import {
  createEncryption,
  ENVELOPE_MARK,
  masterKey,
  type SubjectSource,
  withEncryption,
} from '@strata/encryption';
import { withUpcasting } from '@strata/upcasting';
import { Order, type OrderLine } from './domain/order.js';
import { createDemoRegistry } from './domain/registry.js';
import { createDemoUpcasters, type UserRegisteredV1 } from './domain/upcasters.js';
import { User } from './domain/user.js';
import { sectionHeading } from './section-heading.js';
import type { Print } from './story.js';

const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;

/** The user an event's personal data belongs to: its data key encrypts that data. */
function userOf(event: SubjectSource): string {
  return event.type.startsWith('user.')
    ? event.streamId.slice('user-'.length)
    : (event.data as { userId: string }).userId;
}

/**
 * The rest of the story, on the same store, after `tellStory`: an event stored at an old schema
 * version reads as the current one, and a user's personal data is encrypted, then forgotten
 * (crypto-shredding) while the user's order history still replays. `keys` holds the wrapped data
 * keys (the SQLite store's `keys`, in the same file).
 */
export async function tellPersonalDataStory(store: EventStore, keys: KeyStore, print: Print): Promise<void> {
  const registry = createDemoRegistry();
  const upcasters = createDemoUpcasters(registry);

  print(sectionHeading('11. An old event is upcast on read'));
  const old: UserRegisteredV1 = { email: 'grace@example.com', full_name: 'Grace Hopper' };
  // What the shop's first program wrote, years ago, and what the table still holds.
  await store.append('user-grace', [{ type: 'user.registered', schemaVersion: 1, data: old }], {
    expectedVersion: 0,
    streamType: 'user',
  });
  const [stored] = await store.readStream('user-grace');
  print(`stored:  ${stored!.type} v${stored!.schemaVersion} ${JSON.stringify(stored!.data)}`);
  const current = withUpcasting(store, upcasters);
  const [upcast] = await current.readStream('user-grace');
  print(
    `read through withUpcasting: ${upcast!.type} v${upcast!.schemaVersion}, fields ${Object.keys(upcast!.data as object).join(', ')}`,
  );
  const grace = await new AggregateRepository(current, {
    streamType: 'user',
    create: (id) => new User(id),
    registry,
  }).load('grace');
  print(`loaded as today's User: ${grace.name} <${grace.email}>`);
  print(
    `the table still holds v${(await store.readStream('user-grace'))[0]!.schemaVersion}: upcasting rewrites nothing`,
  );

  print(sectionHeading('12. Personal data is encrypted, then forgotten'));
  const encryption = createEncryption({
    keyStore: keys,
    // From a secret manager in real life; made fresh on each run here, like the database.
    masterKeys: [masterKey('demo-master', randomBytes(32))],
    currentMasterKeyId: 'demo-master',
    fields: { 'user.registered': ['email', 'name'], 'order.placed': ['deliverTo'] },
    subjectOf: userOf,
  });
  // Upcasting outside, encryption inside: ciphertexts are bound to the events as stored.
  const secure = withUpcasting(withEncryption(store, encryption), upcasters);
  const users = new AggregateRepository(secure, {
    streamType: 'user',
    create: (id) => new User(id),
    registry,
  });
  const orders = new AggregateRepository(secure, {
    streamType: 'order',
    create: (id) => new Order(id),
    registry,
  });
  const alan = new User('alan');
  alan.register('alan@example.com', 'Alan Turing');
  await users.save(alan);
  const address = '2 Bletchley Park, Milton Keynes';
  await orders.update(
    '2001',
    (order) => {
      order.place('alan', address);
      order.addItem({ sku: 'notebook', quantity: 4, unitPriceCents: 450 });
      order.pay();
    },
    { createIfMissing: true },
  );
  await orders.update(
    '2002',
    (order) => {
      order.place('alan', address);
      order.addItem({ sku: 'pen', quantity: 5, unitPriceCents: 120 });
    },
    { createIfMissing: true },
  );
  print(`user-alan registered and placed order-2001 and order-2002, to be delivered to ${address}`);

  // What the database holds: read past the wrappers.
  const rows = [
    ...(await store.readStream('user-alan')),
    ...(await store.readStream('order-2001')),
    ...(await store.readStream('order-2002')),
  ];
  const registered = rows[0]!.data as Record<string, { alg: string; paths: string[] }>;
  const envelope = registered[ENVELOPE_MARK]!;
  print(`stored user.registered: fields ${Object.keys(registered).join(', ')}`);
  print(`  ${ENVELOPE_MARK} holds ${envelope.paths.join(' and ')}, sealed with ${envelope.alg}`);
  const rowText = JSON.stringify(rows.map((row) => row.data));
  const leaked = ['alan@example.com', 'Alan Turing', 'Bletchley'].filter((secret) =>
    rowText.includes(secret),
  );
  print(
    `plaintext personal data in alan's ${rows.length} stored events: ${leaked.length === 0 ? 'none' : leaked.join(', ')}`,
  );
  const read = await users.load('alan');
  print(`read through the wrappers: ${read.name} <${read.email}>`);

  const destroyed = await encryption.forget('alan');
  print(`forget('alan'): ${destroyed} data key destroyed; nothing else in the log is touched`);
  const forgotten = await users.load('alan');
  print(`user-alan now loads as: ${forgotten.name} <${forgotten.email}>`);
  for (const id of ['2001', '2002']) {
    const order = await orders.load(id);
    print(
      `order-${id} still loads: ${order.status}, ${euros(order.totalCents)}, deliver to ${order.deliverTo}`,
    );
  }

  // A read model rebuilt from the whole log after the forget: every event replays, none fails.
  const ofAlan = new Set<string>();
  let spent = 0;
  let replayed = 0;
  for await (const event of iterateAll(secure)) {
    replayed++;
    if (event.type === 'order.placed' && (event.data as { userId: string }).userId === 'alan') {
      ofAlan.add(event.streamId);
    }
    if (event.type === 'order.item_added' && ofAlan.has(event.streamId)) {
      const line = event.data as OrderLine;
      spent += line.quantity * line.unitPriceCents;
    }
  }
  print(
    `the whole log replays after the forget (${replayed} events): alan's history is ${ofAlan.size} orders, ${euros(spent)}`,
  );
}
