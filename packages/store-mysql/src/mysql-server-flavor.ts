import { StoreUnavailableError } from '@strata/core';
import type { MysqlQueryable } from './mysql-driver.js';
import { STORE_NAME } from './mysql-errors.js';

export interface MysqlServer {
  flavor: 'mariadb' | 'mysql';
  version: string;
  /**
   * A binary, NO PAD utf8mb4 collation for ids and names: 'A' and 'a' are different streams, and
   * so are 'a' and 'a ' (`utf8mb4_bin` pads with spaces on both servers, so it would merge them).
   */
  idCollation: string;
}

/** Oldest versions the store supports: the NO PAD binary collations and JSON-free SQL it uses. */
const MINIMUM = { mariadb: [10, 6, 0], mysql: [8, 0, 17] } as const;

/** Asks the server what it is and picks the id collation; refuses versions the store cannot run on. */
export async function detectServer(db: MysqlQueryable): Promise<MysqlServer> {
  const [rows] = await db.query({ sql: 'SELECT VERSION()', rowsAsArray: true });
  const version = String((rows as unknown[][])[0]?.[0] ?? '');
  const flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  const parts = (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  if (parts.length !== 3 || compare(parts, MINIMUM[flavor]) < 0) {
    throw new StoreUnavailableError(
      STORE_NAME,
      new Error(
        `server version ${JSON.stringify(version)} is not supported: the store needs MariaDB 10.6+ or MySQL 8.0.17+`,
      ),
    );
  }
  return { flavor, version, idCollation: flavor === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin' };
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < b.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
