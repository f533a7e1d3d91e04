/**
 * Programs that run programs, as data: for each known runner, where the command it runs is found in its argv
 * and where that command runs. runner-model.ts reads argv with these specs. Pure.
 */

/** Where a runner's command runs: this machine, a container or jail with mapped paths, or another machine. */
export type RunnerWhere = 'here' | 'container' | 'remote';

/** How one runner (or one of its subcommands) takes its arguments. */
export interface RunnerSpec {
  /** Short options that take a value (`-n env`, `-o file`). */
  short?: string;
  /** Long options that take a value when not written with `=`. */
  long?: string[];
  /** Options whose value is a shell command line (`--run`, `-c`, `--exec`, `-ex`). */
  text?: string[];
  /** Plain arguments of the runner before its command (`direnv exec DIR`, `chroot DIR`, `faketime SPEC`). */
  positional?: number;
  /** What the first positional argument is: the working directory, or the new root. */
  positionalRole?: 'chdir' | 'root';
  /** Its command only follows `--` (`op run -- cmd`, `kubectl exec pod -- cmd`). */
  dashOnly?: boolean;
  /** The command words are joined into one shell line (`watch`, `tmux new 'cmd'`, `watchexec`). */
  joined?: boolean;
  /** Every operand is a command line of its own (`concurrently 'a' 'b'`, `hyperfine`). */
  lines?: boolean;
  /** Operands are not a command at all (`at TIME`): only text options or stdin run. */
  noOperands?: boolean;
  /** `NAME=value` words before the command are the runner's (`cross-env A=b cmd`). */
  assignments?: boolean;
  /** With no command given it reads a shell script from standard input (`at`, `batch`, `su`). */
  stdin?: boolean;
  /** `hatch run env:cmd`: an `env:` prefix on the command word names an environment. */
  envPrefix?: boolean;
  /** The option giving the user it runs as (`-u`, `--user`). */
  user?: string[];
  /** The first operand is the user it runs as (`su dev -c …`, `runuser -l dev -c …`). */
  userOperand?: boolean;
  /** A text option takes the rest of argv as the command (`nix develop -c rm -rf x`). */
  textRest?: boolean;
  /** An option naming a script file read instead of standard input (`at -f job.sh`). */
  fileOption?: string;
  /** Runs as root unless a user is named (`run0`, `su`). */
  root?: boolean;
  /** Where the command runs; default here. */
  where?: RunnerWhere;
  /** A reader in runner-model.ts for what the table cannot say (mounts, binds, remote targets, typed keys). */
  special?: 'docker-run' | 'docker-exec' | 'kubectl-exec' | 'ssh' | 'vagrant' | 'gcloud-ssh' | 'bwrap' | 'send-keys' | 'gdb' | 'corepack' | 'deno' | 'entr';
}

/** A runner with subcommands: only these run something (`uv run`, `npm exec`); its own options may come first. */
export interface RunnerFamily {
  /** Options of the program itself, before the subcommand, that take a value. Keys of `subs` may be two words (`container run`). */
  short?: string;
  long?: string[];
  subs: Record<string, RunnerSpec>;
}

const UVX: RunnerSpec = { long: ['from', 'with', 'python', 'with-requirements', 'index-url', 'extra-index-url', 'directory', 'project'] };
const PKG_EXEC: RunnerSpec = { short: 'p', long: ['package', 'call'], text: ['-c', '--call'] };
const JOINED_TMUX: RunnerSpec = { short: 'cefFlnstxyNSR', long: [], joined: true };
const DOCKER_RUN: RunnerSpec = { special: 'docker-run', where: 'container' };
const DOCKER_EXEC: RunnerSpec = { special: 'docker-exec', where: 'remote' };
const PERF: RunnerSpec = { short: 'eopPtCGFcjrmu', long: ['event', 'output', 'pid', 'tid', 'cpu', 'cgroup', 'freq', 'count', 'repeat', 'mmap-pages', 'uid', 'call-graph', 'delay'] };

/** Runners read with one spec. */
export const RUNNERS: Record<string, RunnerSpec> = {
  uvx: UVX,
  bunx: PKG_EXEC,
  npx: PKG_EXEC,
  pnpx: PKG_EXEC,
  'nix-shell': { short: 'pIAE', long: ['packages', 'attr', 'arg', 'argstr', 'include', 'expr', 'option'], text: ['--run', '--command'] },
  dotenv: { short: 'evc', long: [], dashOnly: true },
  'env-cmd': { short: 'fer', long: ['file', 'environments', 'rc-file'] },
  'cross-env': { assignments: true },
  'cross-env-shell': { assignments: true, joined: true },
  strace: { short: 'abeEIoOpPsSUXu', long: ['output', 'expr', 'trace', 'signal', 'string-limit', 'user', 'attach', 'trace-path', 'env'] },
  ltrace: { short: 'aAeFlnopsuwxD', long: ['output', 'library', 'indent'] },
  valgrind: {},
  chroot: { long: ['userspec', 'groups'], positional: 1, positionalRole: 'root', where: 'container' },
  unshare: { short: 'SGRw', long: ['setuid', 'setgid', 'root', 'wd', 'propagation', 'map-user', 'map-group', 'map-users', 'map-groups', 'setgroups', 'monotonic', 'boottime'] },
  firejail: {},
  'systemd-run': { short: 'pEMHu', long: ['unit', 'property', 'description', 'slice', 'setenv', 'uid', 'gid', 'nice', 'working-directory', 'machine', 'host', 'on-calendar', 'on-active', 'timer-property', 'path-property', 'socket-property', 'service-type', 'send-sighup'] },
  run0: { short: 'ugDp', long: ['user', 'group', 'chdir', 'property', 'description', 'slice', 'nice', 'setenv', 'unit', 'machine', 'background'], user: ['-u', '--user'], root: true },
  runuser: { short: 'ugGsw', long: ['user', 'group', 'supp-group', 'shell', 'whitelist-environment'], text: ['-c', '--command'], user: ['-u', '--user'], root: true, userOperand: true },
  sg: { positional: 1, text: ['-c'] },
  fakeroot: { short: 'is', long: ['lib', 'faked'] },
  faketime: { positional: 1 },
  prlimit: { short: 'p', long: ['pid', 'output'] },
  'xvfb-run': { short: 'nsfepw', long: ['server-num', 'server-args', 'auth-file', 'error-file', 'xauth-protocol', 'wait'] },
  'ssh-agent': { short: 'aEPt', long: [] },
  script: { short: 'cETIOBm', long: ['log-in', 'log-out', 'log-io', 'log-timing', 'logging-format', 'echo', 'output-limit'], text: ['-c', '--command'], noOperands: true },
  flock: { short: 'wEc', long: ['wait', 'timeout', 'conflict-exit-code'], text: ['-c', '--command'], positional: 1 },
  watch: { short: 'nd', long: ['interval', 'differences'], joined: true },
  screen: { short: 'SecpTths', long: [] },
  watchexec: { short: 'wefdiEs', long: ['watch', 'exts', 'filter', 'filter-file', 'ignore', 'ignore-file', 'debounce', 'signal', 'shell', 'env', 'on-busy-update', 'project-origin', 'workdir', 'delay-run', 'poll', 'emit-events-to', 'stop-signal', 'stop-timeout', 'timeout'], joined: true },
  nodemon: { short: 'wedis', long: ['watch', 'ext', 'ignore', 'delay', 'signal', 'config'], text: ['--exec', '-x'], noOperands: true },
  concurrently: { short: 'ncpst', long: ['names', 'prefix', 'prefix-colors', 'success', 'kill-others-on-fail', 'restart-tries', 'restart-after', 'max-processes', 'name-separator', 'timestamp-format', 'handle-input', 'default-input-target', 'passthrough-arguments'], lines: true },
  hyperfine: { short: 'wrmMpcsSnLu', long: ['warmup', 'runs', 'min-runs', 'max-runs', 'prepare', 'conclude', 'cleanup', 'setup', 'shell', 'command-name', 'parameter-scan', 'parameter-step-size', 'parameter-list', 'export-json', 'export-markdown', 'export-csv', 'time-unit', 'style', 'output', 'sort', 'reference', 'input'], text: ['--prepare', '-p', '--conclude', '--cleanup', '-c', '--setup', '-s', '--reference'], lines: true },
  entr: { special: 'entr' },
  at: { short: 'qfMt', long: [], noOperands: true, stdin: true, fileOption: '-f' },
  batch: { short: 'qfM', long: [], noOperands: true, stdin: true, fileOption: '-f' },
  su: { short: 'sgGw', long: ['shell', 'group', 'supp-group', 'whitelist-environment'], text: ['-c', '--command', '--session-command'], noOperands: true, stdin: true, root: true, userOperand: true },
  gdb: { special: 'gdb' },
  bwrap: { special: 'bwrap', where: 'container' },
  ssh: { special: 'ssh', where: 'remote' },
  corepack: { special: 'corepack' },
};

/** Runners whose command follows a subcommand (`uv run`, `bundle exec`, `docker run`). */
export const RUNNER_FAMILIES: Record<string, RunnerFamily> = {
  uv: { long: ['directory', 'project', 'config-file', 'cache-dir', 'color'], subs: { run: { short: 'p', long: ['with', 'python', 'with-requirements', 'with-editable', 'extra', 'group', 'package', 'env-file', 'index-url', 'directory', 'project'] }, 'tool run': UVX } },
  poetry: { short: 'C', long: ['directory', 'project'], subs: { run: {} } },
  pipenv: { subs: { run: {} } },
  conda: { subs: { run: { short: 'np', long: ['name', 'prefix', 'cwd'] } } },
  mamba: { subs: { run: { short: 'np', long: ['name', 'prefix', 'cwd'] } } },
  micromamba: { subs: { run: { short: 'np', long: ['name', 'prefix', 'cwd'] } } },
  pdm: { subs: { run: { short: 'p', long: ['project', 'venv'] } } },
  hatch: { short: 'e', long: ['env'], subs: { run: { envPrefix: true } } },
  pipx: { subs: { run: { long: ['spec', 'python', 'pip-args', 'index-url'] } } },
  bundle: { subs: { exec: { long: ['gemfile'] } } },
  rye: { subs: { run: {} } },
  nix: { subs: { develop: { long: ['profile', 'arg', 'argstr', 'override-input', 'redirect'], text: ['-c', '--command'], textRest: true, noOperands: true }, shell: { text: ['-c', '--command'], textRest: true, noOperands: true }, run: { dashOnly: true } } },
  mise: { short: 'C', long: ['cd'], subs: { exec: { short: 'jC', long: ['jobs', 'cd'], text: ['-c', '--command'], dashOnly: true }, x: { short: 'jC', long: ['jobs', 'cd'], text: ['-c', '--command'], dashOnly: true } } },
  rtx: { subs: { exec: { dashOnly: true, text: ['-c', '--command'] }, x: { dashOnly: true, text: ['-c', '--command'] } } },
  asdf: { subs: { exec: {} } },
  direnv: { subs: { exec: { positional: 1, positionalRole: 'chdir' } } },
  op: { subs: { run: { long: ['env-file', 'environment', 'account'], dashOnly: true } } },
  doppler: { subs: { run: { short: 'pc', long: ['project', 'config', 'command', 'token', 'mount', 'mount-format', 'fallback', 'name-transformer'], text: ['--command'], dashOnly: true } } },
  npm: { subs: { exec: PKG_EXEC, x: PKG_EXEC } },
  pnpm: { short: 'C', long: ['dir', 'filter'], subs: { exec: PKG_EXEC, dlx: PKG_EXEC } },
  yarn: { long: ['cwd'], subs: { exec: PKG_EXEC, dlx: PKG_EXEC } },
  bun: { subs: { x: PKG_EXEC } },
  deno: { subs: { run: { special: 'deno' } } },
  perf: { subs: { stat: PERF, record: PERF, trace: PERF } },
  tmux: {
    short: 'LSfc',
    long: [],
    subs: {
      'new-session': JOINED_TMUX, new: JOINED_TMUX, 'new-window': JOINED_TMUX, neww: JOINED_TMUX, 'split-window': JOINED_TMUX,
      splitw: JOINED_TMUX, 'respawn-pane': JOINED_TMUX, respawnp: JOINED_TMUX, 'respawn-window': JOINED_TMUX, respawnw: JOINED_TMUX,
      'send-keys': { special: 'send-keys' }, send: { special: 'send-keys' },
    },
  },
  docker: { short: 'cHl', long: ['context', 'host', 'config', 'log-level'], subs: { run: DOCKER_RUN, exec: DOCKER_EXEC, 'container run': DOCKER_RUN, 'container exec': DOCKER_EXEC, 'compose run': DOCKER_RUN, 'compose exec': DOCKER_EXEC } },
  podman: { long: ['connection', 'url', 'root', 'runroot'], subs: { run: DOCKER_RUN, exec: DOCKER_EXEC, 'container run': DOCKER_RUN, 'container exec': DOCKER_EXEC } },
  nerdctl: { subs: { run: DOCKER_RUN, exec: DOCKER_EXEC } },
  'docker-compose': { subs: { run: DOCKER_RUN, exec: DOCKER_EXEC } },
  'podman-compose': { subs: { run: DOCKER_RUN, exec: DOCKER_EXEC } },
  kubectl: { short: 'ns', long: ['namespace', 'context', 'cluster', 'kubeconfig', 'server', 'user'], subs: { exec: { special: 'kubectl-exec', where: 'remote' } } },
  oc: { short: 'n', long: ['namespace', 'context'], subs: { exec: { special: 'kubectl-exec', where: 'remote' }, rsh: { special: 'kubectl-exec', where: 'remote' } } },
  vagrant: { subs: { ssh: { special: 'vagrant', where: 'remote' } } },
  gcloud: { long: ['project', 'account', 'configuration'], subs: { compute: { special: 'gcloud-ssh', where: 'remote' } } },
};

/** docker|podman run options that take a value (the first operand after them is the image). */
export const DOCKER_RUN_VALUE = new Set([
  '-a', '--attach', '--add-host', '--annotation', '--blkio-weight', '--cap-add', '--cap-drop', '--cgroup-parent', '--cgroupns',
  '--cidfile', '--cpus', '-c', '--cpu-shares', '--cpu-period', '--cpu-quota', '--cpuset-cpus', '--cpuset-mems', '--detach-keys',
  '--device', '--dns', '--dns-option', '--dns-search', '--domainname', '-e', '--env', '--env-file', '--entrypoint', '--expose',
  '--gpus', '--group-add', '-h', '--hostname', '--health-cmd', '--health-interval', '--health-retries', '--health-timeout',
  '--ip', '--ip6', '--ipc', '--isolation', '-l', '--label', '--label-file', '--link', '--log-driver', '--log-opt',
  '-m', '--memory', '--memory-swap', '--memory-reservation', '--mount', '--name', '--network', '--net', '--network-alias',
  '-p', '--publish', '--pid', '--platform', '--pull', '--restart', '--runtime', '--security-opt', '--shm-size',
  '--stop-signal', '--stop-timeout', '--storage-opt', '--sysctl', '--tmpfs', '-u', '--user', '--ulimit', '--userns', '--uts',
  '-v', '--volume', '--volumes-from', '-w', '--workdir', '--oom-score-adj', '--pids-limit', '--arch', '--os', '--pod', '--secret',
]);

/** docker|podman exec options that take a value. */
export const DOCKER_EXEC_VALUE = new Set(['-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir', '--detach-keys']);

/** bwrap options and how many values each takes; binds map a host path (first) to a sandbox path (second). */
export const BWRAP_VALUES: Record<string, number> = {
  '--bind': 2, '--bind-try': 2, '--dev-bind': 2, '--dev-bind-try': 2, '--ro-bind': 2, '--ro-bind-try': 2, '--symlink': 2,
  '--setenv': 2, '--file': 2, '--bind-data': 2, '--ro-bind-data': 2, '--chmod': 2, '--chdir': 1, '--unsetenv': 1, '--dev': 1,
  '--proc': 1, '--tmpfs': 1, '--mqueue': 1, '--dir': 1, '--remount-ro': 1, '--uid': 1, '--gid': 1, '--hostname': 1,
  '--seccomp': 1, '--args': 1, '--userns': 1, '--perms': 1, '--size': 1, '--cap-add': 1, '--cap-drop': 1, '--lock-file': 1,
  '--sync-fd': 1, '--info-fd': 1, '--json-status-fd': 1, '--block-fd': 1, '--userns-block-fd': 1, '--pidns': 1,
  '--exec-label': 1, '--file-label': 1, '--argv0': 1,
};

/** Programs whose `-c`/`--exec`/`--` arguments are data, never run: the generic fallback leaves them alone. */
export const DATA_PROGRAMS = new Set([
  'echo', 'printf', 'print', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'git', 'jq', 'yq', 'gh', 'glab', 'hub', 'cat', 'less',
  'more', 'head', 'tail', 'wc', 'logger', 'notify-send', 'say', 'wall', 'write', 'test', '[', 'expr', 'true', 'false', 'man',
  'help', 'type', 'which', 'whatis', 'apropos', 'printenv', 'agentfirewall', 'diff', 'cmp', 'tee', 'tar', 'gcc', 'cc', 'clang',
  'g++', 'clang++', 'zip', 'unzip', 'gzip', 'mkdir', 'touch', 'ls', 'stat', 'file', 'sort', 'uniq', 'cut', 'tr', 'column',
  'base64', 'xxd', 'od', 'hexdump', 'strings', 'npm', 'pnpm', 'yarn', 'bun', 'go', 'pip', 'pip3', 'alias', 'export',
  'declare', 'local', 'readonly', 'set', 'unset', 'read', 'cd', 'pushd', 'popd', 'history', 'fc', 'complete', 'compgen',
  // File and process tools: what follows their `--` is paths, patterns or process ids, never a command.
  'rm', 'rmdir', 'mv', 'cp', 'ln', 'chmod', 'chown', 'chgrp', 'install', 'unlink', 'truncate', 'shred', 'kill', 'pkill',
  'killall', 'rsync', 'scp', 'realpath', 'readlink', 'dirname', 'basename', 'du', 'df',
]);

/** Options after which the generic fallback looks for a command line. */
export const INNER_COMMAND_OPTIONS = new Set(['-c', '--command', '--exec', '--run', '-x', '--cmd']);
