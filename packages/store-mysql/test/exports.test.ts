import { fileURLToPath } from 'node:url';
import { describePackageExports } from '@strata/vitest-preset/exports-check';

describePackageExports(
  fileURLToPath(new URL('..', import.meta.url)),
  {
    '.': [
      'createMysqlEventStore',
      'MysqlEventStore',
      'MysqlSnapshotStore',
      'MysqlCheckpointStore',
      'MysqlDeadLetterStore',
      'MysqlKeyStore',
      'MysqlLeaseProvider',
      'MysqlLease',
      'migrate',
      'DEFAULT_TABLE_PREFIX',
    ],
  },
  {
    roundTrip: {
      label: 'a MysqlEventStore on tables of its own',
      // Runs in a child process from its source text: it may use only its arguments.
      open: async (mysql, load) => {
        const url = process.env.STRATA_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
        const tablePrefix = `x_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}_`;
        const store = mysql.createMysqlEventStore({ connection: url, tablePrefix });
        const drop = async () => {
          const driver = load.require('mysql2/promise');
          const admin = await driver.createConnection({ uri: url });
          try {
            const [tables] = await admin.query('SHOW TABLES LIKE ?', [
              `${tablePrefix.replaceAll('_', '\\_')}%`,
            ]);
            for (const row of tables) await admin.query(`DROP TABLE \`${Object.values(row)[0]}\``);
            const [routines] = await admin.query(
              'SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME LIKE ?',
              [`${tablePrefix.replaceAll('_', '\\_')}%`],
            );
            for (const { name } of routines) await admin.query(`DROP PROCEDURE \`${name}\``);
          } finally {
            await admin.end();
          }
        };
        return { store, drop };
      },
    },
  },
);
