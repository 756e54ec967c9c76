import { placeholders } from './in-list.js';

/**
 * The lookups behind `precedingPosition` and `advanceCheckpointFromPreceding`: the last position of
 * some types below an append's first position, as locking reads, so they see the newest committed
 * rows rather than a REPEATABLE READ snapshot that may predate a peer's append the sequence row
 * made this one wait for (the append-advancing race tests). Every position below the append's is
 * already final then: the append holds the sequence row until it commits.
 *
 * With the `(event_type, position)` index: one backward index step per type (`ofType`). Without it:
 * one backward walk of the primary key from the append, stopping at the first row of any of the
 * types (`ofTypes`); one walk per type would instead go as far back as the rarest type's last event.
 * Under REPEATABLE READ InnoDB keeps an S next-key lock on every row the walk reads, not only the
 * one it returns: the rows between that one and the append (with KEY partitions, at most one more
 * row per partition, read ahead by the ordered merge). That changes no answer and excludes no
 * append: those gaps get no inserts (positions below the append's are handed out already), and the
 * rows are written again only by `rewriteEvent`, which then waits for this append to commit.
 */

/** Params: type, below. At most one row: the position. */
export function precedingOfTypeSql(events: string): string {
  return `SELECT position FROM ${events}
    WHERE event_type = ? AND position < CAST(? AS UNSIGNED)
    ORDER BY position DESC LIMIT 1 LOCK IN SHARE MODE`;
}

/** Params: `typeCount` types, then below. At most one row: the position. */
export function precedingOfTypesSql(events: string, typeCount: number): string {
  return `SELECT position FROM ${events}
    WHERE event_type IN (${placeholders(typeCount)}) AND position < CAST(? AS UNSIGNED)
    ORDER BY position DESC LIMIT 1 LOCK IN SHARE MODE`;
}

/**
 * The advancing procedures' lookup (mysql-checkpoint-advance-block.ts): the last event of `type`
 * in [`floor`, `below`), each argument an SQL expression. At most one row: the position.
 */
export function precedingFromSql(events: string, type: string, below: string, floor: string): string {
  return `SELECT position FROM ${events}
    WHERE event_type = ${type} AND position < ${below} AND position >= ${floor}
    ORDER BY position DESC LIMIT 1 LOCK IN SHARE MODE`;
}
