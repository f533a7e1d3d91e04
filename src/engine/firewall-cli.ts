import type { Field } from '../shell/expand.js';
import type { ExecutedCommand } from '../shell/interpret.js';
import { commandName } from '../shell/wrappers.js';

/**
 * The firewall's own command line, seen as a program an agent might run: which of its subcommands switch
 * protection off or replace one of its guards. Read-only subcommands (`status`, `check`, `explain`, `log`,
 * `doctor`, `--help` of anything) are none of its business.
 */

/** Subcommands that switch protection off or put something else in a guard's place, and why. */
const SWITCH_OFF: Record<string, (args: string[]) => string | null> = {
  unprotect: (a) => (a.includes('--remove-config') ? 'deletes .agentfirewall/ and stops every guard' : 'stops the watcher and removes the shell guards'),
  'uninstall-hooks': () => 'removes a guard',
  'install-hooks': () => 'replaces a guard with whatever this installation points at',
  init: (a) => (a.includes('--force') ? 'rewrites the config from a preset' : null),
  protect: (a) => (a.includes('--force') ? 'rewrites the config from a preset' : null),
  serve: () => 'replaces the resident checker',
  watch: () => 'replaces the watcher',
};

/** The program names the CLI goes by: its command, its bin script, a package spec (`agentfirewall@1.2`). */
const CLI_NAME = /^agentfirewall(@[^/\s]*)?$|^agentfirewall\.[cm]?js$/;
const NODE = /^(node|nodejs|bun)$/;
/** node options that take the next word as their value. */
const NODE_VALUE_OPTIONS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '-C', '--env-file', '--title', '--stack-size']);

/** The CLI's arguments when `argv` runs the firewall's CLI (by name, by path, or as a node script), else null. */
function cliArguments(argv: Field[]): Field[] | null {
  if (argv.length === 0 || argv[0].dynamic) return null;
  const name = commandName(argv[0].text);
  if (CLI_NAME.test(name)) return argv.slice(1);
  if (!NODE.test(name)) return null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].text;
    if (NODE_VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return !argv[i].dynamic && CLI_NAME.test(commandName(a)) ? argv.slice(i + 1) : null;
  }
  return null;
}

/** What running this command does to protection, when it is one of the CLI's switch-off subcommands. */
export function firewallSwitchOff(command: ExecutedCommand): { subcommand: string; why: string } | null {
  const args = cliArguments(command.argv);
  if (!args) return null;
  const texts = args.map((f) => f.text);
  if (texts.some((t) => t === '--help' || t === '-h')) return null;
  // A subcommand that cannot be read might be any of them.
  const at = texts.findIndex((t, i) => !t.startsWith('-') || args[i].dynamic);
  if (at < 0) return null;
  if (args[at].dynamic) return { subcommand: '?', why: 'runs a subcommand that cannot be known before it runs' };
  const sub = texts[at];
  const rule = Object.prototype.hasOwnProperty.call(SWITCH_OFF, sub) ? SWITCH_OFF[sub] : undefined;
  const why = rule?.(texts.slice(at + 1));
  return why ? { subcommand: sub, why } : null;
}
