import type { MysqlSchemaContext } from './mysql-migrations.js';
import { procedureTypes } from './mysql-procedure-types.js';

/**
 * The pieces the `_advancing` append procedures (migration 10) add to `append_single` and
 * `append_batch`: a JSON parameter with the checkpoints that append-transaction hooks asked to
 * move (`advanceCheckpoint`), and the moves themselves, run after the events are inserted, so
 * after the sequence row's lock: every event below the append's positions has committed or rolled
 * back. Each move is `advanceCheckpointFromPreceding`'s (`mysql-checkpoint-advance.ts`): the last
 * position of the checkpoint's types below the append's first one (a locking read, so the newest
 * rows under REPEATABLE READ too), then the checkpoint moved to the append's last event of those
 * types only if it stands there. A realtime projector's bookkeeping then costs no round trip.
 *
 * `p_checkpoints`: `[[name, index, [type, ...]], ...]`, `index` the 1-based index in the append
 * of its last event of those types (the client sends only checkpoints with one). `v_advanced`
 * gets one character per checkpoint: `1` moved, `0` not (absent or elsewhere).
 */
export interface CheckpointAdvanceBlock {
  /** The procedure's extra parameter, after its others. */
  parameter: string;
  /** The outer declaration of `v_advanced`. */
  declaration: string;
  /** The moves, as one compound statement; `first` is the SQL of the append's first position. */
  statements(first: string): string;
}

export function checkpointAdvanceBlock({
  tables: t,
  idCollation,
}: MysqlSchemaContext): CheckpointAdvanceBlock {
  const { id } = procedureTypes(idCollation);
  return {
    parameter: 'IN p_checkpoints LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
    declaration: "DECLARE v_advanced TEXT CHARACTER SET ascii DEFAULT '';",
    statements: (first) => `BEGIN
          DECLARE v_first BIGINT UNSIGNED DEFAULT ${first};
          DECLARE v_c INT DEFAULT 0;
          DECLARE v_k INT DEFAULT 0;
          DECLARE v_name ${id};
          DECLARE v_event_type ${id};
          DECLARE v_types LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
          DECLARE v_index BIGINT UNSIGNED;
          DECLARE v_preceding BIGINT UNSIGNED;
          DECLARE v_found BIGINT UNSIGNED;
          WHILE v_c < JSON_LENGTH(p_checkpoints) DO
            SET v_name = JSON_VALUE(p_checkpoints, CONCAT('$[', v_c, '][0]'));
            SET v_index = JSON_VALUE(p_checkpoints, CONCAT('$[', v_c, '][1]'));
            SET v_types = JSON_QUERY(p_checkpoints, CONCAT('$[', v_c, '][2]'));
            SET v_preceding = 0, v_k = 0;
            WHILE v_k < JSON_LENGTH(v_types) DO
              SET v_event_type = JSON_VALUE(v_types, CONCAT('$[', v_k, ']'));
              SELECT COALESCE(MAX(position), 0) INTO v_found FROM ${t.events}
                WHERE event_type = v_event_type AND position < v_first LOCK IN SHARE MODE;
              SET v_preceding = GREATEST(v_preceding, v_found), v_k = v_k + 1;
            END WHILE;
            UPDATE ${t.checkpoints} SET position = v_first + v_index - 1, updated_at = p_recorded_at
              WHERE name = v_name AND position = v_preceding;
            SET v_advanced = CONCAT(v_advanced, IF(ROW_COUNT() > 0, '1', '0')), v_c = v_c + 1;
          END WHILE;
        END;`,
  };
}
