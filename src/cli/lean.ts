import { auditLinesWritten } from '../adapters/audit-log.js';
import { requireDist } from '../config/locate.js';
import { FILE_OPERATIONS, type FileOperation } from '../engine/types.js';
import { runHook } from './commands/hook.js';
import { say } from './output.js';
import { isPort } from './host-syntax.js';
import { runCheck, runCheckFile, runCheckNetwork, type CheckOptions } from './check-commands.js';

/**
 * The fast entry for `check`, `check-file` and `check-network`, which run before every command:
 * it reads the common argument shapes itself and loads nothing else. Anything unusual (help, an
 * unknown option, a missing value) goes to the full command-line interface, which owns the errors.
 */
interface LeanArgs {
  command: 'check' | 'check-file' | 'check-network' | 'hook';
  target: string;
  operation?: FileOperation;
  port?: number;
  options: CheckOptions;
}

export function parseLeanArgs(argv: readonly string[]): LeanArgs | null {
  const [command, ...rest] = argv;
  // `hook <agent>` is on the fast path too: agents call it before every tool call.
  if (command === 'hook' && rest.length === 1 && !rest[0].startsWith('-')) return { command: 'hook', target: rest[0], options: {} };
  if (command !== 'check' && command !== 'check-file' && command !== 'check-network') return null;
  const options: CheckOptions = {};
  const positional: string[] = [];
  let operation: string | undefined;
  let port: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? rest[++i];
    if (arg === '--') {
      positional.push(...rest.slice(i + 1));
      break;
    }
    if (name === '--json') options.json = true;
    else if (name === '--quiet' || name === '-q') options.quiet = true;
    else if (name === '--fallback') options.fallback = true;
    else if (name === '--interactive' && command === 'check') options.interactive = true;
    else if (name === '--fragment' && command === 'check') options.fragment = true;
    else if (name === '--source') options.source = value();
    else if (name === '--cwd') options.cwd = value();
    else if ((name === '--operation' || name === '-o') && command === 'check-file') operation = value();
    else if ((name === '--port' || name === '-p') && command === 'check-network') port = value();
    else if (arg.startsWith('-') && arg !== '-') return null;
    else positional.push(arg);
  }
  if (positional.length !== 1 || [options.source, options.cwd].includes('')) return null;
  if (options.source === undefined && rest.includes('--source')) return null;
  const result: LeanArgs = { command, target: positional[0], options };
  if (command === 'check-file') {
    if (!operation || !(FILE_OPERATIONS as readonly string[]).includes(operation)) return null;
    result.operation = operation as FileOperation;
  }
  if (command === 'check-network' && port !== undefined) {
    if (!isPort(port)) return null;
    result.port = Number(port);
  }
  return result;
}

let ranPath = 'none';

/**
 * Which way this process went (`check:1:logged`): the entry keeps a V8 code cache of the bundle and
 * refreshes it the first time each way is taken, so that a denial compiles as little as an allowed line.
 */
export function pathKind(): string {
  return `${ranPath}:${process.exitCode ?? 0}:${auditLinesWritten() ? 'logged' : 'quiet'}`;
}

/** Run the CLI for `argv` (without node and script), setting the process exit code. */
export async function run(argv: string[]): Promise<void> {
  const args = parseLeanArgs(argv);
  ranPath = args?.command ?? 'full';
  if (!args) {
    const { main } = requireDist<typeof import('./main.js')>('cli/main.js');
    process.exitCode = await main(argv);
    return;
  }
  try {
    if (args.command === 'hook') process.exitCode = await runHook(args.target);
    else if (args.command === 'check') process.exitCode = await runCheck(args.target, args.options);
    else if (args.command === 'check-file') process.exitCode = await runCheckFile(args.target, args.operation!, args.options);
    else process.exitCode = await runCheckNetwork(args.target, args.port, args.options);
  } catch (error) {
    say(`internal error: ${(error as Error).stack ?? error}`);
    process.exitCode = 2;
  }
}
