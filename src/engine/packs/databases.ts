import type { Detector } from '../detectors.js';
import { DB_PROGRAMS, dbFindings } from './db-clients.js';

const subject = (argv: { text: string }[]) => argv.map((f) => f.text).join(' ');

/** SQL and database clients: statements that drop or empty databases, schemas and tables (`db/*`). */
export const DATABASE_DETECTORS: readonly Detector[] = [
  {
    name: 'db-drop',
    description: 'dropping or truncating a database, schema or table through a client (SQL, dropdb, mysqladmin drop, FLUSHALL, dropDatabase)',
    programs: DB_PROGRAMS,
    find: (facts) =>
      dbFindings(facts.command).filter((f) => f.kind === 'drop').map((f) => ({ reason: `destroys database data: ${f.statement}`, subject: subject(facts.command.argv) })),
  },
  {
    name: 'db-delete-all',
    description: 'DELETE or UPDATE without WHERE (or WHERE 1=1), deleteMany({}), through a client',
    programs: DB_PROGRAMS,
    find: (facts) =>
      dbFindings(facts.command).filter((f) => f.kind === 'delete-all').map((f) => ({ reason: `changes every row: ${f.statement}`, subject: subject(facts.command.argv) })),
  },
];
