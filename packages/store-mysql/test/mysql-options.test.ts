import { ValidationError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createMysqlEventStore, type MysqlStoreOptions } from '../src/index.js';

const URL = 'mysql://root@127.0.0.1:3306/test';

describe('options are checked before anything is opened', () => {
  const invalid: [string, Partial<MysqlStoreOptions> & Record<string, unknown>][] = [
    ['options.connection', { connection: 'postgres://localhost/db' }],
    ['options.connection', { connection: 42 as unknown as string }],
    ['options.tablePrefix', { tablePrefix: 'bad-prefix' }],
    ['options.tablePrefix', { tablePrefix: 'x`; DROP TABLE events; --' }],
    ['options.tablePrefix', { tablePrefix: '' }],
    ['options.tablePrefix', { tablePrefix: 'a'.repeat(40) }],
    ['options.tablePrefix', { tablePrefix: '1starts_with_digit' }],
    ['options.partitions', { partitions: 0 }],
    ['options.partitions', { partitions: 1.5 }],
    ['options.partitions', { partitions: 9000 }],
    ['options.poolSize', { poolSize: 0 }],
    ['options.queryTimeoutMs', { queryTimeoutMs: -1 }],
    ['options.maxBatchEvents', { maxBatchEvents: 0 }],
    ['options.migrate', { migrate: 'yes' as unknown as boolean }],
    ['options.typeIndex', { typeIndex: 'yes' as unknown as boolean }],
    ['options.typeIndex', { typeIndex: 1 as unknown as boolean }],
  ];
  for (const [path, options] of invalid) {
    it(`${path}: ${JSON.stringify(Object.values(options)[0])}`, () => {
      let error: unknown;
      try {
        createMysqlEventStore({ connection: URL, ...options } as MysqlStoreOptions);
      } catch (e) {
        error = e;
      }
      expect(ValidationError.isInstance(error), String(error)).toBe(true);
      expect((error as ValidationError).path).toBe(path);
    });
  }

  it('onAppend takes functions only', async () => {
    const store = createMysqlEventStore({ connection: URL });
    expect(() => store.onAppend('nope' as never)).toThrow(ValidationError);
    await store.close();
  });
});
