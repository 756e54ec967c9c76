/** The `(event_type, position)` index's name: migration 1 made it. */
export const TYPE_INDEX = 'type_position';

/** The SQL that tells whether the events table has the type index (one row, one count). */
export function typeIndexCountSql(): string {
  return `(SELECT COUNT(*) FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = '${TYPE_INDEX}')`;
}
