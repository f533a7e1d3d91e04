import type { ExecutedCommand } from '../../shell/interpret.js';
import { classifyMongo, classifySql, sqlInCode, type SqlFinding } from '../../shell/sql-statements.js';
import { parseArgs, valuesOf, type ArgSpec } from '../tool-args.js';

/** What reaches a client on standard input when it is known: a here-string/heredoc, or the known output piped in. */
function stdinOf(c: ExecutedCommand): string[] {
  const out: string[] = [];
  if (c.stdinText && !c.stdinText.dynamic) out.push(c.stdinText.text);
  if (c.stdinFrom?.output !== undefined) out.push(c.stdinFrom.output);
  return out;
}

const SQL_CLIENTS: Record<string, { spec: ArgSpec; inline: string[] }> = {
  psql: { spec: { short: 'cdfhpUvoLTPFR', long: ['command', 'dbname', 'file', 'host', 'port', 'username', 'set', 'variable', 'output', 'log-file', 'pset'] }, inline: ['c', 'command'] },
  mysql: { spec: { short: 'ehuPSDo', long: ['execute', 'host', 'user', 'port', 'socket', 'database'] }, inline: ['e', 'execute'] },
  mariadb: { spec: { short: 'ehuPSDo', long: ['execute', 'host', 'user', 'port', 'socket', 'database'] }, inline: ['e', 'execute'] },
  'clickhouse-client': { spec: { short: 'qhudp', long: ['query', 'host', 'user', 'database', 'port', 'password'] }, inline: ['q', 'query'] },
  cqlsh: { spec: { short: 'eukf', long: ['execute', 'username', 'password', 'keyspace', 'file'] }, inline: ['e', 'execute'] },
  duckdb: { spec: { short: 'c', long: [] }, inline: ['c', 'cmd'] },
};

/** Long options may be abbreviated (getopt_long): `--comm` is `--command`. */
const isInline = (name: string, inline: string[]) => inline.some((n) => n === name || (name.length >= 3 && n.startsWith(name)));

/** The SQL texts a client runs that are known on its line: inline options, operands (sqlite3, duckdb), stdin. */
export function sqlTexts(c: ExecutedCommand): string[] {
  let name = c.argv[0]?.text.replace(/^.*\//, '') ?? '';
  let args = c.argv.slice(1);
  if (name === 'clickhouse' && args[0]?.text === 'client') { name = 'clickhouse-client'; args = args.slice(1); }
  if (name === 'mysql' || name === 'mariadb') args = args.filter((a) => !/^-p/.test(a.text)); // -pSECRET is glued
  const texts: string[] = [];
  if (name === 'sqlite3' || name === 'duckdb') {
    const ops: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i].text;
      if (/^--?(cmd|c)$/.test(a)) texts.push(args[++i]?.text ?? '');
      else if (/^--?(init|separator|newline|nullvalue|vfs|maxsize|mmap)$/.test(a)) i++;
      else if (!a.startsWith('-') || args[i].dynamic) ops.push(args[i].dynamic ? '' : a);
    }
    texts.push(...ops.slice(1));
  } else {
    const client = SQL_CLIENTS[name];
    if (!client) return [];
    const { options } = parseArgs(args, client.spec);
    for (const o of options) if (isInline(o.name, client.inline) && o.value && !o.value.dynamic) texts.push(o.value.text);
  }
  return [...texts, ...stdinOf(c)];
}

/** Destructive statements a command sends to a database, by client family. */
export function dbFindings(c: ExecutedCommand): SqlFinding[] {
  const name = c.argv[0]?.text.replace(/^.*\//, '') ?? '';
  const args = c.argv.slice(1);
  if (name === 'mongosh' || name === 'mongo') {
    const { options } = parseArgs(args, { long: ['eval', 'host', 'port', 'username', 'password', 'file'], short: 'upf' });
    return [...valuesOf(options, 'eval').map((f) => f.text), ...stdinOf(c)].flatMap(classifyMongo);
  }
  if (name === 'redis-cli') {
    const { operands } = parseArgs(args, { short: 'hpasnruidx', long: ['user', 'pass', 'sni', 'cacert', 'cert', 'key', 'eval'] });
    const cmds = [operands.map((o) => o.text).join(' '), ...stdinOf(c).flatMap((t) => t.split('\n'))];
    const flush = cmds.map((l) => /^\s*(flushall|flushdb)\b/i.exec(l)).find((m) => m);
    return flush ? [{ kind: 'drop', statement: flush[1].toUpperCase() }] : [];
  }
  if (name === 'dropdb') {
    if (args.some((a) => /^(--help|--version|-V|-\?)$/.test(a.text))) return [];
    const { operands } = parseArgs(args, { short: 'hpUd', long: ['host', 'port', 'username', 'maintenance-db'] });
    return [{ kind: 'drop', statement: `dropdb ${operands.map((o) => o.text).join(' ')}`.trim() }];
  }
  if (name === 'mysqladmin') {
    const { operands } = parseArgs(args.filter((a) => !/^-p/.test(a.text)), { short: 'huPS', long: ['host', 'user', 'port', 'socket'] });
    const k = operands.findIndex((o) => o.text.toLowerCase() === 'drop');
    return k >= 0 ? [{ kind: 'drop', statement: `DROP DATABASE ${operands[k + 1]?.text ?? ''}`.trim() }] : [];
  }
  if (INTERPRETERS.includes(name)) {
    const k = args.findIndex((a) => /^-[a-zA-Z]*[ceE]$/.test(a.text) || a.text === '--eval');
    const code = k >= 0 ? args[k + 1]?.text ?? '' : '';
    return [...sqlInCode(code).flatMap(classifySql), ...(/\bdb\.|dropDatabase|deleteMany/.test(code) ? classifyMongo(code) : [])];
  }
  return sqlTexts(c).flatMap(classifySql);
}

export const INTERPRETERS = ['python', 'python2', 'python3', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'node', 'nodejs', 'deno', 'bun', 'perl', 'ruby', 'php'];
export const DB_PROGRAMS = [
  'psql', 'mysql', 'mariadb', 'sqlite3', 'duckdb', 'clickhouse', 'clickhouse-client', 'cqlsh', 'mongosh', 'mongo', 'redis-cli', 'dropdb', 'mysqladmin',
  ...INTERPRETERS,
];
