/** The highest position the store hands out (core's `MAX_POSITION`, 2^63 - 1), as SQL text. */
export const MAX_POSITION_SQL = '9223372036854775807';

/**
 * The SQL types of the stored procedures' parameters and variables, in the collation of the ids
 * they compare with (a mismatch would make MariaDB convert, and skip the indexes).
 */
export function procedureTypes(idCollation: string): { id: string; text: string } {
  return {
    id: `VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${idCollation}`,
    text: `LONGTEXT CHARACTER SET utf8mb4 COLLATE ${idCollation}`,
  };
}
