import { type PreparedRewrite, rewriteConflict } from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';
import type { PostgresTableNames } from './postgres-table-names.js';

/**
 * `rewriteEvent`'s SQL: one guarded UPDATE of the event's type, schema version and payload, keyed
 * on its stream and version (the partitioned layout's partition key included), and the read that
 * explains a refusal. Nothing else of the row, nor the partitioned layout's id index, changes.
 */
export class PostgresEventRewrite {
  /** $1 stream, $2 version, $3 id, $4 position, $5 expected type, $6 expected schema version, $7..$10 new values. */
  private readonly update: PreparedStatement;
  /** $1 stream, $2 version: `[event_id, position, event_type, schema_version]`. */
  private readonly find: PreparedStatement;

  constructor(
    private readonly connection: PostgresConnection,
    t: PostgresTableNames,
  ) {
    this.update = preparedStatement(
      `UPDATE ${t.events} SET event_type = $7, schema_version = $8, data = $9::json, metadata = $10::json
        WHERE stream_id = $1 AND version = $2 AND event_id = $3 AND position = $4
          AND event_type = $5 AND schema_version = $6`,
    );
    this.find = preparedStatement(
      `SELECT event_id, position, event_type, schema_version FROM ${t.events} WHERE stream_id = $1 AND version = $2`,
    );
  }

  /**
   * Writes the rewrite, or throws `EventRewriteConflictError`. A concurrent rewriter of the same row
   * waits for the first to commit, then finds the guard broken; the refusal's read is a statement of
   * its own, so under READ COMMITTED it sees the winner's commit.
   */
  async run(rewrite: PreparedRewrite): Promise<void> {
    const { rowCount } = await this.connection.query(
      this.update.query([
        rewrite.streamId,
        rewrite.version,
        rewrite.id,
        rewrite.position.toString(),
        rewrite.expectedType,
        rewrite.expectedSchemaVersion,
        rewrite.type,
        rewrite.schemaVersion,
        rewrite.dataJson,
        rewrite.metadataJson,
      ]),
    );
    if (rowCount === 1) return;
    const { rows } = await this.connection.query(this.find.query([rewrite.streamId, rewrite.version]));
    const row = rows[0] as [string, string, string, string] | undefined;
    throw rewriteConflict(
      rewrite,
      row && { id: row[0], position: BigInt(row[1]), type: row[2], schemaVersion: Number(row[3]) },
    );
  }
}
