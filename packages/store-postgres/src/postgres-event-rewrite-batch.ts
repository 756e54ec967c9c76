import {
  type PreparedRewrite,
  rewriteConflict,
  rewriteGuardHolds,
  type StoredEventIdentity,
  StoreUnavailableError,
} from '@strata/core';
import type { PostgresConnection } from './postgres-connection.js';
import { STORE_NAME, toStoreError } from './postgres-errors.js';
import type { PostgresClient, PostgresQueryConfig, PostgresQueryResult } from './postgres-pool.js';
import { type PreparedStatement, preparedStatement } from './postgres-statement.js';
import type { PostgresTableNames } from './postgres-table-names.js';
import { runPostgresTransaction } from './postgres-transaction.js';

/**
 * `rewriteEvents`' SQL: in one transaction, one SELECT … FOR UPDATE locks every targeted row (in
 * stream and version order, so batches racing over the same rows queue rather than deadlock) and
 * reads what the guards compare; one UPDATE … FROM unnest(…) then writes them all. Four round
 * trips whatever the batch's size, where a guarded UPDATE per event would take one per event.
 */
export class PostgresEventRewriteBatch {
  /** $1 streams, $2 versions: `[stream_id, version, event_id, position, event_type, schema_version]`, locked. */
  private readonly lock: PreparedStatement;
  /** $1..$6 streams, versions, new types, schema versions, data and metadata (as JSON text). */
  private readonly update: PreparedStatement;

  constructor(
    private readonly connection: PostgresConnection,
    t: PostgresTableNames,
  ) {
    this.lock = preparedStatement(
      `SELECT e.stream_id, e.version, e.event_id, e.position, e.event_type, e.schema_version
         FROM ${t.events} e JOIN unnest($1::text[], $2::integer[]) AS r(stream_id, version)
           ON e.stream_id = r.stream_id AND e.version = r.version
        ORDER BY e.stream_id, e.version
        FOR UPDATE OF e`,
    );
    this.update = preparedStatement(
      `UPDATE ${t.events} e
          SET event_type = r.event_type, schema_version = r.schema_version,
              data = r.data::json, metadata = r.metadata::json
         FROM unnest($1::text[], $2::integer[], $3::text[], $4::integer[], $5::text[], $6::text[])
           AS r(stream_id, version, event_type, schema_version, data, metadata)
        WHERE e.stream_id = r.stream_id AND e.version = r.version`,
    );
  }

  /** Writes every rewrite, or none and throws `EventRewriteConflictError` naming one whose guard failed. */
  async run(rewrites: PreparedRewrite[]): Promise<void> {
    if (rewrites.length === 0) return;
    await runPostgresTransaction(this.connection, async (client) => {
      const streams = rewrites.map((r) => r.streamId);
      const versions = rewrites.map((r) => r.version);
      const { rows } = await query(client, this.lock.query([streams, versions]));
      const stored = new Map<string, StoredEventIdentity>();
      for (const row of rows as [string, string, string, string, string, string][]) {
        stored.set(keyOf(row[0], Number(row[1])), {
          id: row[2],
          position: BigInt(row[3]),
          type: row[4],
          schemaVersion: Number(row[5]),
        });
      }
      for (const rewrite of rewrites) {
        const found = stored.get(keyOf(rewrite.streamId, rewrite.version));
        if (!rewriteGuardHolds(rewrite, found)) throw rewriteConflict(rewrite, found);
      }
      const { rowCount } = await query(
        client,
        this.update.query([
          streams,
          versions,
          rewrites.map((r) => r.type),
          rewrites.map((r) => r.schemaVersion),
          rewrites.map((r) => r.dataJson),
          rewrites.map((r) => r.metadataJson),
        ]),
      );
      // The rows are locked and were checked: anything else means the table changed under the lock.
      if (rowCount !== rewrites.length) {
        throw new StoreUnavailableError(
          STORE_NAME,
          new Error(`the batch rewrite updated ${rowCount} rows of ${rewrites.length} it had locked`),
        );
      }
    });
  }
}

async function query(client: PostgresClient, config: PostgresQueryConfig): Promise<PostgresQueryResult> {
  try {
    return await client.query(config);
  } catch (error) {
    throw toStoreError(error);
  }
}

function keyOf(streamId: string, version: number): string {
  return `${streamId}\u0000${version}`;
}
