import { type PreparedRewrite, rewriteConflict } from '@strata/core';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTableNames } from './sqlite-table-names.js';

/**
 * The statements of `rewriteEvent`: one guarded UPDATE of the event's type, schema version and
 * payload, keyed on its stream and version, and the read that explains a refusal. Nothing else of
 * the row (id, position, version, stream type, times) is written.
 */
export class SqliteEventRewrite {
  private readonly update: SqliteStatement;
  /** `[id, position, event_type, schema_version]` of the event at a stream version. */
  private readonly find: SqliteStatement;

  constructor(db: SqliteDatabase, t: SqliteTableNames) {
    this.update = db
      .prepare(
        `UPDATE ${t.events} SET event_type = ?, schema_version = ?, data = ?, metadata = ?
         WHERE stream_id = ? AND version = ? AND id = ? AND position = ? AND event_type = ? AND schema_version = ?`,
      )
      .safeIntegers(true);
    this.find = db
      .prepare(
        `SELECT id, position, event_type, schema_version FROM ${t.events} WHERE stream_id = ? AND version = ?`,
      )
      .raw(true)
      .safeIntegers(true);
  }

  /** Writes the rewrite, or throws `EventRewriteConflictError` naming what is stored. Run it in a write transaction. */
  run(rewrite: PreparedRewrite): void {
    const { changes } = this.update.run(
      rewrite.type,
      rewrite.schemaVersion,
      rewrite.dataJson,
      rewrite.metadataJson,
      rewrite.streamId,
      rewrite.version,
      rewrite.id,
      rewrite.position,
      rewrite.expectedType,
      rewrite.expectedSchemaVersion,
    );
    if (changes === 1) return;
    const row = this.find.get(rewrite.streamId, rewrite.version) as
      | [string, bigint, string, bigint]
      | undefined;
    throw rewriteConflict(
      rewrite,
      row && { id: row[0], position: row[1], type: row[2], schemaVersion: Number(row[3]) },
    );
  }
}
