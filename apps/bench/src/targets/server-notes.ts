/** Notes printed under the table for the targets on a database server (PostgreSQL, MySQL). */
export const SERVER_RAW_NOTE =
  'postgres, mysql: the raw side is a plain hand-written data layer (a four-round-trip transaction per ' +
  "append on a table with the store's columns and indexes, plain SELECTs decoded into the same " +
  "event objects), not the store's SQL: the ratio is what the store gains or costs over doing it by hand. " +
  "Its readAll skips events that commit late; the stores' does not.";

export const SERVER_SCALE_NOTE =
  'postgres, mysql: appends scaled for these targets (a quarter of the single appends, half the batch events) ' +
  'to keep a full run under ten minutes: every commit waits for the server.';
