import pg from 'pg';

/**
 * Whether the PostgreSQL at `url` accepts a connection within 3 s: tests that need it run, or skip
 * visibly when it is down (outside CI). It never throws; the client it opened is always closed.
 */
export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
