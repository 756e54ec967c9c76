import { describe, expect, it } from 'vitest';
import { freePort } from '../src/index.js';
import { postgresReachable } from '../src/postgres-probe.js';

const PG_URL = process.env.STRATA_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('postgresReachable', () => {
  it('is false, without throwing, when nothing listens at the URL', async () => {
    const port = await freePort();
    expect(await postgresReachable(`postgres://postgres@127.0.0.1:${port}/test`)).toBe(false);
  });

  // Under CI the server is always there (as for every PostgreSQL test); elsewhere it may not be.
  it.runIf(process.env.CI !== undefined)('is true for the server the tests use', async () => {
    expect(await postgresReachable(PG_URL)).toBe(true);
  });
});
