import { checkpointAdvanceBlock } from './mysql-checkpoint-advance-block.js';
import type { MysqlSchemaContext } from './mysql-migrations.js';
import { MAX_POSITION_SQL, procedureTypes } from './mysql-procedure-types.js';

/**
 * A single-event append with an exact expected version, new streams (expected 0) included, in
 * one round trip: check and create or bump the stream, take the position (the sequence row: the
 * last lock), insert, and COMMIT when `p_commit` is set (no hook has to run inside the
 * transaction). It replaces `append_one` (kept for processes that still call it) because a W1
 * append then costs one round trip instead of two, and a stream's first append one instead of four.
 *
 * Returns one row: (position, stream_type, NULL, committed) when written, (NULL, NULL, actual
 * version, 0) when the expected version did not hold. It never commits a position past
 * `MAX_POSITION`: the caller sees `committed = 0`, refuses the position and rolls back. A
 * duplicate event id is an error out of the CALL, with the transaction still open to roll back.
 */
export function appendSingleProcedure(context: MysqlSchemaContext, advancing = false): string {
  const { tables: t, idCollation, partitionedNow } = context;
  // With `advancing`: \`append_single_advancing\`, which also moves hooks' checkpoints (migration 10).
  const advance = advancing ? checkpointAdvanceBlock(context) : undefined;
  const { id, text } = procedureTypes(idCollation);
  return `CREATE PROCEDURE ${advance === undefined ? t.appendSingle : t.appendSingleAdvancing} (
      IN p_stream_id ${id}, IN p_stream_type ${id}, IN p_expected BIGINT UNSIGNED, IN p_event_id ${id},
      IN p_event_type ${id}, IN p_data ${text}, IN p_metadata ${text}, IN p_schema_version BIGINT UNSIGNED,
      IN p_occurred_at BIGINT, IN p_recorded_at BIGINT, IN p_commit BOOLEAN${advance === undefined ? '' : `, ${advance.parameter}`})
    MODIFIES SQL DATA SQL SECURITY INVOKER
    BEGIN
      DECLARE v_type ${id};
      DECLARE v_version BIGINT UNSIGNED DEFAULT 0;
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
          INSERT INTO ${t.streams} (stream_id, stream_type, version) VALUES (p_stream_id, p_stream_type, 1);
        END;
        IF NOT v_exists THEN
          UPDATE ${t.sequence} SET position = LAST_INSERT_ID(position + 1) WHERE id = 1;
          SET v_type = p_stream_type, v_written = TRUE;
        END IF;
      ELSE
        UPDATE ${t.streams} s, ${t.sequence} q
          SET s.version = s.version + 1, q.position = LAST_INSERT_ID(q.position + 1)
          WHERE q.id = 1 AND s.stream_id = p_stream_id AND s.version = p_expected;
        IF ROW_COUNT() > 0 THEN
          SELECT stream_type INTO v_type FROM ${t.streams} WHERE stream_id = p_stream_id;
          SET v_written = TRUE;
        END IF;
      END IF;
      IF v_written THEN
        ${
          partitionedNow
            ? `INSERT INTO ${t.eventIds} (event_id, stream_id, version) VALUES (p_event_id, p_stream_id, p_expected + 1);`
            : ''
        }
        INSERT INTO ${t.events} (position, stream_id, version, event_id, stream_type, event_type, data, metadata,
            schema_version, occurred_at, recorded_at)
          VALUES (LAST_INSERT_ID(), p_stream_id, p_expected + 1, p_event_id, v_type, p_event_type, p_data,
            p_metadata, p_schema_version, p_occurred_at, p_recorded_at);${
              advance === undefined
                ? ''
                : `
        ${advance.statements('LAST_INSERT_ID()')}`
            }
        IF p_commit AND LAST_INSERT_ID() <= ${MAX_POSITION_SQL} THEN
          COMMIT;
          SET v_committed = TRUE;
        END IF;
        SELECT LAST_INSERT_ID(), v_type, NULL, v_committed${advance === undefined ? '' : ', v_advanced'};
      ELSE
        SELECT version INTO v_version FROM ${t.streams} WHERE stream_id = p_stream_id FOR UPDATE;
        SELECT NULL, NULL, v_version, FALSE${advance === undefined ? '' : ', NULL'};
      END IF;
    END`;
}
