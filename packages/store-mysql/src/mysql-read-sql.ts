import { placeholders } from './in-list.js';
import { EVENT_COLUMNS } from './mysql-event-row.js';
import type { MysqlTableNames } from './mysql-table-names.js';

/**
 * The read statements. Positions are bound as decimal strings and cast on the server (exact for
 * the whole BIGINT UNSIGNED range); LIMIT values are bound as strings too, which both MySQL 8 and
 * MariaDB accept for prepared statements.
 */
export class MysqlReadSql {
  private readonly cache = new Map<string, string>();

  constructor(private readonly tables: MysqlTableNames) {}

  /** Params: streamId, fromVersion, toVersion[, limit]. */
  readStream(direction: 'forward' | 'backward', limited: boolean): string {
    return this.cached(`stream:${direction}:${limited}`, () => {
      const order = direction === 'forward' ? 'ASC' : 'DESC';
      return `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
        WHERE stream_id = ? AND version >= ? AND version <= ?
        ORDER BY version ${order}${limited ? ' LIMIT ?' : ''}`;
    });
  }

  /** Params: `idCount` stream ids, then fromVersion. */
  readStreams(idCount: number): string {
    return this.cached(`streams:${idCount}`, () => {
      return `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
        WHERE stream_id IN (${placeholders(idCount)}) AND version >= ?
        ORDER BY stream_id, version`;
    });
  }

  /** Params: after[, limit]. The primary key (position) serves the ORDER BY. */
  readAll(limited: boolean): string {
    return this.cached(`all:${limited}`, () => {
      return `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
        WHERE position > CAST(? AS UNSIGNED)
        ORDER BY position${limited ? ' LIMIT ?' : ''}`;
    });
  }

  /**
   * Params: per type (type, after, limit), then the overall limit. One range of the
   * (event_type, position) index per type, each cut at the limit, merged: no page sorts more than
   * `types × limit` rows however long the log is.
   */
  readAllOfTypesLimited(typeCount: number): string {
    return this.cached(`types-limited:${typeCount}`, () => {
      const one = `(SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
        WHERE event_type = ? AND position > CAST(? AS UNSIGNED) ORDER BY position LIMIT ?)`;
      return typeCount === 1
        ? one
        : `${Array(typeCount).fill(one).join(' UNION ALL ')} ORDER BY position LIMIT ?`;
    });
  }

  /** Params: `typeCount` types, then after[, limit]. */
  readAllOfTypes(typeCount: number, limited: boolean): string {
    return this.cached(`types:${typeCount}:${limited}`, () => {
      return `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
        WHERE event_type IN (${placeholders(typeCount)}) AND position > CAST(? AS UNSIGNED)
        ORDER BY position${limited ? ' LIMIT ?' : ''}`;
    });
  }

  streamVersion(): string {
    return this.cached('version', () => `SELECT version FROM ${this.tables.streams} WHERE stream_id = ?`);
  }

  /** No params. The highest committed position, 0 for none: the right edge of the primary key. */
  lastPosition(): string {
    return this.cached('last', () => `SELECT COALESCE(MAX(position), 0) FROM ${this.tables.events}`);
  }

  storageId(): string {
    return this.cached('storage', () => `SELECT id FROM ${this.tables.storage}`);
  }

  private cached(key: string, build: () => string): string {
    let sql = this.cache.get(key);
    if (sql === undefined) {
      sql = build();
      this.cache.set(key, sql);
    }
    return sql;
  }
}
