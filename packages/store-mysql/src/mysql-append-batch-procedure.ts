import { checkpointAdvanceBlock } from './mysql-checkpoint-advance-block.js';
import type { MysqlSchemaContext } from './mysql-migrations.js';
import { MAX_POSITION_SQL, procedureTypes } from './mysql-procedure-types.js';

/**
 * One append of several events with an exact expected version (0: a new stream) in one round
 * trip, COMMIT included when `p_commit` is set: what `append_single` does for one event, with the
 * events packed into one JSON array (`packBatchEvents`) and unpacked by `JSON_TABLE`, because a
 * procedure cannot take a variable number of rows. Three round trips become one.
 *
 * Returns one row: (last position, stream_type, NULL, committed) when written, (NULL, NULL,
 * actual version, 0) when the expected version did not hold. Never commits a position past
 * `MAX_POSITION`; a duplicate event id is an error out of the CALL, the transaction left open.
 */
export function appendBatchProcedure(context: MysqlSchemaContext, advancing = false): string {
  const { tables: t, idCollation, partitionedNow } = context;
  // With `advancing`: \`append_batch_advancing\`, which also moves hooks' checkpoints (migration 10).
  const advance = advancing ? checkpointAdvanceBlock(context) : undefined;
  const { id, text } = procedureTypes(idCollation);
  // One row per event: [id, type, data, metadata, schema version, occurred at], in append order.
  const rows = (columns: string) => `JSON_TABLE(p_events, '$[*]' COLUMNS (${columns})) AS j`;
  const allColumns = `n FOR ORDINALITY, event_id ${id} PATH '$[0]', event_type ${id} PATH '$[1]',
        data ${text} PATH '$[2]', metadata ${text} PATH '$[3]', schema_version BIGINT UNSIGNED PATH '$[4]',
        occurred_at BIGINT PATH '$[5]'`;
  return `CREATE PROCEDURE ${advance === undefined ? t.appendBatch : t.appendBatchAdvancing} (
      IN p_stream_id ${id}, IN p_stream_type ${id}, IN p_expected BIGINT UNSIGNED, IN p_count INT UNSIGNED,
      IN p_events ${text}, IN p_recorded_at BIGINT, IN p_commit BOOLEAN${advance === undefined ? '' : `, ${advance.parameter}`})
    MODIFIES SQL DATA SQL SECURITY INVOKER
    BEGIN
      DECLARE v_type ${id};
      DECLARE v_version BIGINT UNSIGNED DEFAULT 0;
      DECLARE v_last BIGINT UNSIGNED;
      DECLARE v_exists BOOLEAN DEFAULT FALSE;
      DECLARE v_written BOOLEAN DEFAULT FALSE;
      DECLARE v_committed BOOLEAN DEFAULT FALSE;${
        advance === undefined
          ? ''
          : `
      ${advance.declaration}`
      }
      IF p_expected = 0 THEN
        BEGIN
          -- Only the stream row's duplicate is a conflict; a duplicate event id below stays an error.
          DECLARE CONTINUE HANDLER FOR 1062 SET v_exists = TRUE;
          INSERT INTO ${t.streams} (stream_id, stream_type, version) VALUES (p_stream_id, p_stream_type, p_count);
        END;
        IF NOT v_exists THEN
          UPDATE ${t.sequence} SET position = LAST_INSERT_ID(position + p_count) WHERE id = 1;
          SET v_type = p_stream_type, v_written = TRUE;
        END IF;
      ELSE
        UPDATE ${t.streams} s, ${t.sequence} q
          SET s.version = s.version + p_count, q.position = LAST_INSERT_ID(q.position + p_count)
          WHERE q.id = 1 AND s.stream_id = p_stream_id AND s.version = p_expected;
        IF ROW_COUNT() > 0 THEN
          SELECT stream_type INTO v_type FROM ${t.streams} WHERE stream_id = p_stream_id;
          SET v_written = TRUE;
        END IF;
      END IF;
      IF v_written THEN
        SET v_last = LAST_INSERT_ID();
        ${
          partitionedNow
            ? `INSERT INTO ${t.eventIds} (event_id, stream_id, version)
          SELECT j.event_id, p_stream_id, p_expected + j.n FROM ${rows(`n FOR ORDINALITY, event_id ${id} PATH '$[0]'`)};`
            : ''
        }
        INSERT INTO ${t.events} (position, stream_id, version, event_id, stream_type, event_type, data, metadata,
            schema_version, occurred_at, recorded_at)
          SELECT v_last - p_count + j.n, p_stream_id, p_expected + j.n, j.event_id, v_type, j.event_type, j.data,
            j.metadata, j.schema_version, j.occurred_at, p_recorded_at
          FROM ${rows(allColumns)};
        IF ROW_COUNT() <> p_count THEN
          SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'append_batch: the packed events do not match their count';
        END IF;${
          advance === undefined
            ? ''
            : `
        ${advance.statements('v_last - p_count + 1')}`
        }
        IF p_commit AND v_last <= ${MAX_POSITION_SQL} THEN
          COMMIT;
          SET v_committed = TRUE;
        END IF;
        SELECT v_last, v_type, NULL, v_committed${advance === undefined ? '' : ', v_advanced'};
      ELSE
        SELECT version INTO v_version FROM ${t.streams} WHERE stream_id = p_stream_id FOR UPDATE;
        SELECT NULL, NULL, v_version, FALSE${advance === undefined ? '' : ', NULL'};
      END IF;
    END`;
}
