import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AGENTS } from '../adapters/agent-protocols.js';
import { PRESET_NAMES } from '../config/locate.js';
import { FILE_OPERATIONS, type FileOperation } from '../engine/types.js';
import { VERSION } from '../version.js';
import { runCheck, runCheckFile, runCheckNetwork, type CheckOptions } from './check-commands.js';
import { runInit } from './commands/init.js';
import { runStatus } from './commands/status.js';
import { runExplain } from './commands/explain.js';
import { runInstallHooks, runShellEnv, runUninstallHooks } from './commands/hooks.js';
import { runServe } from './commands/serve.js';
import { DEFAULT_COUNT, runLog, type LogOptions } from './commands/log.js';
import { runHook } from './commands/hook.js';
import { runDoctor } from './commands/doctor.js';
import { runProtect, runUnprotect, runWatch } from './commands/daemon.js';
import { EXIT } from './exit-codes.js';
import { isPort } from './host-syntax.js';
import { print, say } from './output.js';
import { formatUsageError, usageHint } from './usage-errors.js';

/** Collect a repeated option's values. */
const collect = (value: string, previous: string[]) => [...previous, value];

function checkOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print the decision as JSON on stdout')
    .option('-q, --quiet', 'print nothing when the action is allowed')
    .option('--source <name>', 'who is asking, recorded in the audit log', 'cli')
    .option('--cwd <dir>', 'decide as if run from this directory')
    .option('--fallback', 'with a broken config, decide with the standard preset and warn (for hooks) instead of exiting 2');
}

/** Build the full command-line interface. Each action returns its exit code through `setCode`. */
export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('agentfirewall')
    .description('Guard what AI coding agents do in a repository: allow, deny or warn on commands, files and hosts.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpCommand('help [command]', 'show the help of a command')
    // Set before any subcommand is added: each one copies it.
    .configureOutput({ outputError: (message, write) => write(formatUsageError(message)) })
    .exitOverride();

  program
    .command('version')
    .description('print the version')
    .action(() => {
      print(VERSION);
    });

  program
    .command('init')
    .description('create .agentfirewall/ with a complete, commented config')
    .addOption(new Option('--preset <name>', 'rule preset').choices([...PRESET_NAMES]).default('standard'))
    .option('--force', 'overwrite an existing config.yaml (rules/ and logs/ are kept)')
    .option('--dir <dir>', 'project directory (default: the current directory)')
    .action((o: { preset: string; force?: boolean; dir?: string }) => setCode(runInit(o)));

  program
    .command('status')
    .description('show the mode, rules, config errors and recent decisions of this project')
    .option('--json', 'print the status as JSON on stdout')
    .option('--cwd <dir>', 'look from this directory')
    .action((o: { json?: boolean; cwd?: string }) => setCode(runStatus(o)));

  checkOptions(
    program
      .command('check')
      .description('decide a shell command line (exit 0 allow or warn, 1 deny, 2 error)')
      .argument('<command>', 'the command line, as one argument')
      .option('--interactive', 'typed by a person at an interactive shell (editing .agentfirewall/ is allowed)')
      .option('--fragment', 'the line may be incomplete (a continuation line follows): exit 3 when it is'),
  ).action(async (command: string, o: CheckOptions) => setCode(await runCheck(command, o)));

  program
    .command('explain')
    .description('show how a command line is read (commands, unwrapping, targets) and every rule that matched')
    .argument('<command>', 'the command line, as one argument')
    .option('--json', 'print the analysis as JSON on stdout')
    .option('--cwd <dir>', 'explain as if run from this directory')
    .action(async (command: string, o: CheckOptions) => setCode(await runExplain(command, o)));

  checkOptions(
    program
      .command('check-file')
      .description('decide a file operation (exit 0 allow or warn, 1 deny, 2 error)')
      .argument('<path>', 'the file or directory')
      .addOption(new Option('-o, --operation <op>', 'the operation').choices([...FILE_OPERATIONS]).makeOptionMandatory()),
  ).action(async (path: string, o: CheckOptions & { operation: FileOperation }) => setCode(await runCheckFile(path, o.operation, o)));

  checkOptions(
    program
      .command('check-network')
      .description('decide an outbound connection (exit 0 allow or warn, 1 deny, 2 error)')
      .argument('<host>', 'a host name, IP address or URL')
      .option('-p, --port <port>', 'the port (1-65535)', (v) => {
        if (!isPort(v)) throw new InvalidArgumentError('A port is a number from 1 to 65535.');
        return Number(v);
      }),
  ).action(async (host: string, o: CheckOptions & { port?: number }) => setCode(await runCheckNetwork(host, o.port, o)));

  program
    .command('log')
    .description('show recorded decisions, newest last, across rotated log files (-f keeps following)')
    .option('-n, --lines <count>', `how many decisions to show (default ${DEFAULT_COUNT}; with --since, all since then)`)
    .option('--deny', 'only denials')
    .option('--rule <glob>', 'only these rules (git/*, secrets/env-file); repeat for more', collect, [])
    .option('--source <name>', 'only decisions asked by this source (cli, bash, claude, watcher ...); repeat for more', collect, [])
    .option('--since <when>', 'only decisions since a duration ago (30s, 10m, 2h, 1d, 1w) or a date and time (ISO 8601)')
    .option('-f, --follow', 'keep printing decisions as they are recorded, until Ctrl-C')
    .option('--json', 'print the stored JSON lines as they are')
    .option('--cwd <dir>', 'the project (default: the current directory)')
    .action(async (o: LogOptions) => setCode(await runLog(o)));

  program
    .command('install-hooks')
    .description("add the interactive shell guard to ~/.bashrc or ~/.zshrc, or with --agent an agent's native hook")
    .addOption(new Option('--shell <shell>', 'the shell (default: from $SHELL)').choices(['bash', 'zsh']))
    .addOption(new Option('--agent <agent>', "an agent's native hook instead of the shell guard").choices([...AGENTS]))
    .addOption(new Option('--scope <scope>', 'with --agent: local (default for claude), project (default otherwise) or user (fires without folder trust)').choices(['local', 'project', 'user']))
    .option('--trust-project', 'with --agent codex: also mark the project trusted in Codex (it reads .codex/hooks.json only in trusted projects)')
    .action((o: { shell?: string; agent?: string; scope?: string; trustProject?: boolean }) => setCode(runInstallHooks(o)));

  program
    .command('uninstall-hooks')
    .description('remove the shell guard, restoring the startup file byte for byte')
    .addOption(new Option('--shell <shell>', 'the shell (default: both)').choices(['bash', 'zsh']))
    .addOption(new Option('--agent <agent>', "an agent's native hook instead of the shell guards").choices([...AGENTS]))
    .addOption(new Option('--scope <scope>', 'with --agent: local, project or user').choices(['local', 'project', 'user']))
    .action((o: { shell?: string; agent?: string; scope?: string }) => setCode(runUninstallHooks(o)));

  program
    .command('shell-env')
    .description("print the exports that guard an agent's bash -c and zsh -c shells: eval \"$(agentfirewall shell-env)\"")
    .option('--cwd <dir>', 'the project to guard (default: the current directory)')
    .action((o: { cwd?: string }) => setCode(runShellEnv(o)));

  program
    .command('hook')
    .description("answer an agent's hook call (stdin: the agent's payload; stdout: its allow/deny form)")
    .addArgument(new Argument('<agent>', 'the agent').choices([...AGENTS]))
    .action(async (agent: string) => setCode(await runHook(agent)));

  program
    .command('doctor')
    .description("check every guard: installed, pointing at an existing node and CLI, trusted by its agent, and denying a dry run of 'rm -rf ~' (exit 1 when one is inert)")
    .option('--json', 'print the checks as JSON on stdout')
    .option('--cwd <dir>', 'the project (default: the current directory)')
    .action((o: { json?: boolean; cwd?: string }) => setCode(runDoctor(o)));

  program
    .command('protect')
    .description('init (when needed) + the interactive shell guard + the background watcher and resident checker')
    .addOption(new Option('--preset <name>', 'rule preset for a new config').choices([...PRESET_NAMES]).default('standard'))
    .option('--force', 'rewrite an existing config.yaml from the preset')
    .addOption(new Option('--shell <shell>', 'the shell to guard (default: from $SHELL)').choices(['bash', 'zsh']))
    .action(async (o: { preset: string; force?: boolean; shell?: string }) => setCode(await runProtect(o)));

  program
    .command('unprotect')
    .description('stop the watcher and remove the shell guards')
    .option('--remove-config', 'also delete .agentfirewall/ (the audit log is kept elsewhere unless --yes, or asked on a terminal)')
    .option('-y, --yes', 'with --remove-config: delete the audit log too, without asking')
    .action(async (o: { removeConfig?: boolean; yes?: boolean }) => setCode(await runUnprotect(o)));

  program
    .command('watch')
    .description('run the watcher (and the resident checker) in the foreground: stop agents that break the rules, restore files')
    .option('--cwd <dir>', 'the project (default: the current directory)')
    .action(async (o: { cwd?: string }) => setCode(await runWatch(o)));

  program
    .command('serve')
    .description('run the resident checker for this project (the shell guards then check in about a millisecond)')
    .option('--cwd <dir>', 'the project (default: the current directory)')
    .action(async (o: { cwd?: string }) => setCode(await runServe(o)));

  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Run the full CLI; returns the exit code. Commander's own usage errors map to 2, never to 1 (deny). */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  if (argv[0] === 'help' && argv[1] !== undefined && !program.commands.some((c) => c.name() === argv[1])) {
    say(`unknown command '${argv[1]}'`);
    say("run 'agentfirewall help' for the list of commands");
    return EXIT.error;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; help shown for a bare `agentfirewall` and every usage error are exit 2.
      if (error.exitCode === 0) return EXIT.ok;
      if (error.code !== 'commander.help') say(usageHint(program, error, argv));
      return EXIT.error;
    }
    say(`internal error: ${(error as Error).stack ?? error}`);
    return EXIT.error;
  }
}
