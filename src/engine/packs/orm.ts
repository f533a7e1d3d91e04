import type { Detector, Finding } from '../detectors.js';
import { operandsOf, peelPackageRunner, wordsOf } from './pack-words.js';

const RAILS_TASKS = new Set(['db:drop', 'db:reset', 'db:schema:load', 'db:purge', 'db:drop:all', 'db:purge:all', 'db:structure:load']);
const DJANGO_COMMANDS = new Set(['flush', 'reset_db']);
const TOOLS = new Set(['prisma', 'drizzle-kit', 'sequelize', 'sequelize-cli', 'knex', 'typeorm', 'alembic', 'supabase', 'rails', 'rake']);

/** What an ORM or framework command line destroys, or null. `words` start at the tool. */
function resetOf(words: string[]): string | null {
  const [tool] = words;
  const ops = operandsOf(words.slice(1));
  const has = (...o: string[]) => words.some((w) => o.some((x) => w === x || w.startsWith(`${x}=`)));
  switch (tool) {
    case 'prisma':
      if (ops[0] === 'migrate' && ops[1] === 'reset') return 'prisma migrate reset';
      if (ops[0] === 'db' && ops[1] === 'push' && has('--force-reset', '--accept-data-loss')) return 'prisma db push with data loss';
      return null;
    case 'rails':
    case 'rake': {
      const task = ops.find((o) => RAILS_TASKS.has(o.replace(/\[.*$/, '')));
      return task ? `${tool} ${task}` : null;
    }
    case 'drizzle-kit':
      return ops[0] === 'push' && has('--force') ? 'drizzle-kit push --force' : null;
    case 'sequelize':
    case 'sequelize-cli':
      return ops[0] === 'db:drop' ? `${tool} db:drop` : ops[0] === 'db:migrate:undo:all' ? `${tool} db:migrate:undo:all` : null;
    case 'knex':
      return ops[0] === 'migrate:rollback' && has('--all') ? 'knex migrate:rollback --all' : null;
    case 'typeorm':
    case 'typeorm-ts-node-commonjs':
    case 'typeorm-ts-node-esm':
      return ops[0] === 'schema:drop' ? 'typeorm schema:drop' : null;
    case 'alembic':
      return ops[0] === 'downgrade' && ops[1] === 'base' ? 'alembic downgrade base' : null;
    case 'supabase':
      return ops[0] === 'db' && ops[1] === 'reset' && !has('--local') ? 'supabase db reset' : ops[0] === 'db' && ops[1] === 'reset' ? 'supabase db reset --local' : null;
    default:
      return null;
  }
}

/** A Django management command that empties the database: `manage.py flush`, `django-admin reset_db`. */
function djangoResetOf(words: string[]): string | null {
  let rest = words;
  if (/^python[0-9.]*$/.test(rest[0])) rest = rest.slice(1).filter((w) => !w.startsWith('-'));
  const head = rest[0]?.slice(rest[0].lastIndexOf('/') + 1);
  if (head !== 'manage.py' && head !== 'django-admin' && head !== 'django-admin.py') return null;
  const cmd = operandsOf(rest.slice(1))[0];
  return cmd && DJANGO_COMMANDS.has(cmd) ? `${head} ${cmd}` : null;
}

/** ORM and framework commands that reset or drop a database (`orm/*`). */
export const ORM_DETECTORS: readonly Detector[] = [
  {
    name: 'orm-reset',
    description: 'ORM and framework commands that drop, reset or empty the database (prisma migrate reset, rails db:drop, manage.py flush ...)',
    programs: [...TOOLS, 'typeorm-ts-node-commonjs', 'typeorm-ts-node-esm', 'pnpm', 'yarn', 'manage.py', 'django-admin', 'django-admin.py', 'python', 'python3'],
    find(facts) {
      const words = peelPackageRunner(wordsOf(facts.command), TOOLS);
      const what = resetOf(words) ?? djangoResetOf(words);
      const found: Finding[] = what ? [{ reason: `${what} drops or empties the database`, subject: what }] : [];
      return found;
    },
  },
];
