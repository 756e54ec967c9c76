import { type PreparedRewrite, rewriteConflict, rewriteGuardHolds } from '@strata/core';
import type { MysqlStoreContext } from './mysql-store-context.js';
import type { MysqlTableNames } from './mysql-table-names.js';

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
  async run(rewrite: PreparedRewrite): Promise<void> {
    const changed = await this.context.write(this.update, [
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
    const [row] = await this.context.select(this.find, [rewrite.streamId, rewrite.version]);
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
