import { type PreparedRewrite, rewriteConflict, rewriteGuardHolds } from '@strata/core';
import type { MysqlQueryable, MysqlValue } from './mysql-driver.js';
import { toStoreError } from './mysql-errors.js';
import type { MysqlStoreContext } from './mysql-store-context.js';
import type { MysqlTableNames } from './mysql-table-names.js';
import { runMysqlTransaction } from './mysql-transaction.js';

/** Where a rewrite's two statements run: any pooled connection, or the connection of a transaction. */
interface RewriteSession {
  write(sql: string, values: MysqlValue[]): Promise<number>;
  select(sql: string, values: MysqlValue[]): Promise<unknown[][]>;
}

/**
 * `rewriteEvent`'s SQL: one guarded UPDATE of the event's type, schema version and payload, keyed
 * on its stream and version (the partitioned layout's partition key included), and the read that
 * explains a refusal. Nothing else of the row, nor the partitioned layout's id table, changes.
 */
export class MysqlEventRewrite {
  private readonly update: string;
  private readonly find: string;

  constructor(
    private readonly context: MysqlStoreContext,
    t: MysqlTableNames,
  ) {
    this.update = `UPDATE ${t.events} SET event_type = ?, schema_version = ?, data = ?, metadata = ?
      WHERE stream_id = ? AND version = ? AND event_id = ? AND position = CAST(? AS UNSIGNED)
        AND event_type = ? AND schema_version = ?`;
    this.find = `SELECT event_id, CAST(position AS CHAR), event_type, schema_version, data, metadata
      FROM ${t.events} WHERE stream_id = ? AND version = ?`;
  }

  /** Writes the rewrite, or throws `EventRewriteConflictError` naming what is stored. */
  run(rewrite: PreparedRewrite): Promise<void> {
    return this.runOn(this.context, rewrite);
  }

  /**
   * Writes every rewrite in one transaction, or none: the first refusal rolls it back. The rows are
   * updated (so locked) in stream and version order, so batches racing over the same rows queue
   * rather than deadlock.
   */
  async runBatch(rewrites: PreparedRewrite[]): Promise<void> {
    if (rewrites.length === 0) return;
    const ordered = [...rewrites].sort(byStreamAndVersion);
    const { options, readCommitted } = this.context;
    await this.context.ready();
    await runMysqlTransaction(readCommitted, options.queryTimeoutMs, async (connection) => {
      const session = transactionSession(connection, options.queryTimeoutMs);
      for (const rewrite of ordered) await this.runOn(session, rewrite);
    });
  }

  private async runOn(session: RewriteSession, rewrite: PreparedRewrite): Promise<void> {
    const changed = await session.write(this.update, [
      rewrite.type,
      rewrite.schemaVersion,
      rewrite.dataJson,
      rewrite.metadataJson,
      rewrite.streamId,
      rewrite.version,
      rewrite.id,
      rewrite.position.toString(),
      rewrite.expectedType,
      rewrite.expectedSchemaVersion,
    ]);
    if (changed === 1) return;
    const [row] = await session.select(this.find, [rewrite.streamId, rewrite.version]);
    const stored = row && {
      id: String(row[0]),
      position: BigInt(String(row[1])),
      type: String(row[2]),
      schemaVersion: Number(row[3]),
    };
    // Without CLIENT_FOUND_ROWS, MySQL counts changed rows, not matched ones: a rewrite to exactly
    // what is stored matched its row and reports 0.
    const unchanged =
      rewriteGuardHolds(rewrite, stored) &&
      rewrite.type === rewrite.expectedType &&
      rewrite.schemaVersion === rewrite.expectedSchemaVersion &&
      row![4] === rewrite.dataJson &&
      row![5] === rewrite.metadataJson;
    if (!unchanged) throw rewriteConflict(rewrite, stored);
  }
}

function transactionSession(connection: MysqlQueryable, timeout: number): RewriteSession {
  return {
    async write(sql, values) {
      try {
        const [header] = await connection.execute({ sql, timeout }, values);
        return (header as { affectedRows: number }).affectedRows;
      } catch (error) {
        throw toStoreError(error);
      }
    },
    async select(sql, values) {
      try {
        const [rows] = await connection.execute({ sql, rowsAsArray: true, timeout }, values);
        return rows as unknown[][];
      } catch (error) {
        throw toStoreError(error);
      }
    },
  };
}

/** Stream ids compared by UTF-16 code units: any fixed order does, as long as every batch uses it. */
function byStreamAndVersion(a: PreparedRewrite, b: PreparedRewrite): number {
  if (a.streamId !== b.streamId) return a.streamId < b.streamId ? -1 : 1;
  return a.version - b.version;
}
