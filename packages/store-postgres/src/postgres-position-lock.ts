import type { PostgresTableNames } from './postgres-table-names.js';

/** The statement that takes the position lock; held until the transaction ends. */
export function positionLockSql(t: PostgresTableNames): string {
  return `PERFORM pg_advisory_xact_lock(${t.positionLockKey.toString()})`;
}

/**
 * Makes every insert into the events table take the position lock before its first row gets a
 * position (a statement-level trigger fires before the rows' `DEFAULT nextval(...)` is evaluated).
 * The store's append function takes the lock itself; the trigger extends the guarantee to rows a
 * migration script or an operator inserts by hand, so those cannot be skipped by readers either.
 */
export function positionLockTriggerSql(t: PostgresTableNames): string[] {
  const fn = t.qualified('lock_positions');
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger
       LANGUAGE plpgsql
       AS $strata$ BEGIN ${positionLockSql(t)}; RETURN NULL; END $strata$`,
    `CREATE TRIGGER ${t.local('events_lock_positions')} BEFORE INSERT ON ${t.events}
       FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}
