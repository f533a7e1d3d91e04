import type { Command, CommanderError } from 'commander';

/** Commands whose one argument is a whole shell command line. */
const LINE_COMMANDS = new Set(['check', 'explain']);

/** Quote a word for the shell when it holds anything but plain characters. */
export function shellQuote(word: string): string {
  return /^[\w./=:@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The line the user meant: the subcommand's own options kept, every other word joined into the one argument. */
function quotedSuggestion(cmd: Command, args: readonly string[]): string {
  const kept: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      words.push(...args.slice(i + 1));
      break;
    }
    const name = arg.startsWith('--') && arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    const option = cmd.options.find((o) => o.long === name || o.short === name);
    if (!option) {
      words.push(arg);
      continue;
    }
    kept.push(shellQuote(arg));
    if ((option.required || option.optional) && name === arg && i + 1 < args.length) kept.push(shellQuote(args[++i]));
  }
  return ['agentfirewall', cmd.name(), ...kept, shellQuote(words.join(' '))].join(' ');
}

/**
 * What to do about a usage error, one line: commander says what is wrong, this says how to get it right.
 * `argv` is what the user typed after `agentfirewall`.
 */
export function usageHint(program: Command, error: CommanderError, argv: readonly string[]): string {
  if (error.code === 'commander.unknownCommand') return "run 'agentfirewall help' for the list of commands";
  const cmd = program.commands.find((c) => c.name() === argv[0]);
  if (!cmd) return "run 'agentfirewall help' for the commands and their options";
  const line = LINE_COMMANDS.has(cmd.name());
  if (line && (error.code === 'commander.unknownOption' || error.code === 'commander.excessArguments')) {
    return `quote the command line, it is one argument: ${quotedSuggestion(cmd, argv.slice(1))}`;
  }
  if (line && error.code === 'commander.missingArgument') return `pass the command line as one argument: agentfirewall ${cmd.name()} '<command>'`;
  return `run 'agentfirewall ${cmd.name()} --help' for its arguments and options`;
}

/** Commander's message for a human on stderr: `error: ` dropped, each line prefixed `agentfirewall:`. */
export function formatUsageError(message: string): string {
  return message
    .replace(/^error: /, '')
    .trimEnd()
    .split('\n')
    .map((l) => `agentfirewall: ${l}\n`)
    .join('');
}
