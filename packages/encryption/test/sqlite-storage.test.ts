import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeyStore } from '@strata/store-memory';
import { createSqliteEventStore } from '@strata/store-sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { createEncryption, IntegrityError, masterKey, withEncryption } from '../src/index.js';
import { paymentProcessed, SEED_FIELDS, userCreated } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-encryption-raw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = ['ada@example.com', '+44 20 7946 0000', '4111111111111111', '"123"', '1 Main St'];

it('no configured field appears in plaintext in the SQLite rows, and a row changed in SQL fails its read', async () => {
  const path = join(dir, 'events.db');
  const inner = createSqliteEventStore({ database: path });
  const encryption = createEncryption({
    keyStore: new MemoryKeyStore(),
    masterKeys: [masterKey('m1', randomBytes(32))],
    currentMasterKeyId: 'm1',
    fields: SEED_FIELDS,
    subjectOf: (event) => (event.data as { userId: string }).userId,
  });
  const store = withEncryption(inner, encryption);
  try {
    await store.append('user-u-1', [
      userCreated('u-1', 'ada@example.com'),
      paymentProcessed('u-1', '4111111111111111'),
    ]);
    expect((await store.readStream('user-u-1')).map((e) => e.data)).toEqual([
      userCreated('u-1', 'ada@example.com').data,
      paymentProcessed('u-1', '4111111111111111').data,
    ]);

    const db = new BetterSqlite3(path);
    try {
      const rows = db.prepare('SELECT * FROM strata_events ORDER BY position').all() as Record<
        string,
        unknown
      >[];
      expect(rows).toHaveLength(2);
      const text = JSON.stringify(rows);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      // What is not configured stays searchable.
      expect(text).toContain('London');
      expect(JSON.parse(rows[1]!.data as string).amount).toBe(1250);

      // Someone swaps the card number's and the CVV's places in the envelope, in the database.
      db.prepare(
        `UPDATE strata_events SET data = json_set(data, '$."$strata.encrypted".paths',
           json_array('cvv', 'card_number', 'billing.address')) WHERE position = ?`,
      ).run(rows[1]!.position);
    } finally {
      db.close();
    }
    const error = await store.readStream('user-u-1').catch((e: unknown) => e);
    expect(IntegrityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      eventType: 'PaymentProcessed',
      field: 'cvv, card_number, billing.address',
      version: 2,
    });
  } finally {
    await store.close();
    await inner.close();
  }
});
