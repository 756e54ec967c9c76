export {
  holdWriteLock,
  kitFiles,
  prepareKitDatabase,
  REFUSED_EVENT_TYPE,
  raisePositionFloor,
} from './sqlite-kit-files.js';
export type { SqliteKitTarget, SqliteKitTargetOptions } from './sqlite-kit-target.js';
export { sqliteKitTarget } from './sqlite-kit-target.js';
