import type { MysqlSchemaContext } from './mysql-migrations.js';
import { precedingFromSql } from './mysql-preceding-sql.js';
import { procedureTypes } from './mysql-procedure-types.js';

/**
 * The pieces the `_advancing` append procedures (migrations 10 and 11) add to `append_single` and
 * `append_batch`: a JSON parameter with the checkpoints that append-transaction hooks asked to
 * move (`advanceCheckpoint`), and the moves themselves, run after the events are inserted, so
 * after the sequence row's lock: every event below the append's positions has committed or rolled
 * back. Each move is `advanceCheckpointFromPreceding`'s (`mysql-checkpoint-advance.ts`): the
 * checkpoint moves to the append's last event of its types only if it stands at the last event of
 * those types below the append's first one (0 when there is none). A realtime projector's
 * bookkeeping then costs no round trip.
 *
 * The test is made from the checkpoint's side, so that it costs the same with or without the type
 * index (which the procedure cannot know: another process may create or drop it). The checkpoint
 * row is read and X-locked first (the UPDATE below would lock it anyway). Taking it before the
 * event rows risks no deadlock: appends reach this point one at a time (they hold the sequence
 * row), checkpoint saves lock no event row, and `rewriteEvent` locks no checkpoint. Each type's
 * lookup is then a locking read of the last event of that type in [checkpoint, first): it sees the
 * newest rows under REPEATABLE READ, as mysql-preceding-sql.ts explains, and it never walks below
 * the checkpoint. The checkpoint stands at the preceding event exactly when the largest position
 * found is the checkpoint itself, or nothing is found and the checkpoint is 0; once a lookup finds
 * a position above the checkpoint, the others are skipped. With the index, one index step per
 * type; without it, at most the rows between the checkpoint and the append, S-locked until the
 * append commits.
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
          DECLARE v_floor BIGINT UNSIGNED;
          WHILE v_c < JSON_LENGTH(p_checkpoints) DO
            SET v_name = JSON_VALUE(p_checkpoints, CONCAT('$[', v_c, '][0]'));
            SET v_index = JSON_VALUE(p_checkpoints, CONCAT('$[', v_c, '][1]'));
            SET v_types = JSON_QUERY(p_checkpoints, CONCAT('$[', v_c, '][2]'));
            SELECT MAX(position) INTO v_floor FROM ${t.checkpoints} WHERE name = v_name FOR UPDATE;
            SET v_preceding = 0, v_k = 0;
            WHILE v_floor IS NOT NULL AND v_preceding <= v_floor AND v_k < JSON_LENGTH(v_types) DO
              SET v_event_type = JSON_VALUE(v_types, CONCAT('$[', v_k, ']'));
              SET v_preceding = GREATEST(v_preceding,
                COALESCE((${precedingFromSql(t.events, 'v_event_type', 'v_first', 'v_floor')}), 0)), v_k = v_k + 1;
            END WHILE;
            IF v_floor = v_preceding THEN
              UPDATE ${t.checkpoints} SET position = v_first + v_index - 1, updated_at = p_recorded_at
                WHERE name = v_name;
            END IF;
            SET v_advanced = CONCAT(v_advanced, IF(v_floor = v_preceding, '1', '0')), v_c = v_c + 1;
          END WHILE;
        END;`,
  };
}
