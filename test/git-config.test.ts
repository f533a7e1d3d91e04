import { describe, expect, it } from 'vitest';
import { resolveCommandWord } from '../src/shell/command-names.js';
import { planGit, recordGitConfig } from '../src/shell/git-config.js';
import { recordScripts, scriptsRun } from '../src/shell/npm-scripts.js';
import { joinPath } from '../src/shell/paths.js';

const CWD = '/home/dev/project';
const plan = (args: string[], vars: Record<string, string> = {}, config = new Map<string, string>()) =>
  planGit(args, new Map(Object.entries(vars)), config, CWD, joinPath);
const lines = (p: ReturnType<typeof plan>) => p.shellLines.map((l) => l.text);

describe('git configured on the line', () => {
  it('records git config and remote add --mirror, keys compared as git does', () => {
    const config = new Map<string, string>();
    recordGitConfig(['config', '--global', 'Alias.Ship', 'push --force'], config);
    recordGitConfig(['config', 'set', 'core.sshCommand', 'ssh -v'], config);
    recordGitConfig(['remote', 'add', '--mirror=push', 'backup', 'url'], config);
    recordGitConfig(['config', '--get', 'alias.x', 'ignored'], config);
    expect([...config]).toEqual([['alias.ship', 'push --force'], ['core.sshcommand', 'ssh -v'], ['remote.backup.mirror', 'true']]);
  });

  it('expands aliases from the line, -c and GIT_CONFIG_*; builtins are never aliased', () => {
    const config = new Map([['alias.ship', 'push --force']]);
    expect(lines(plan(['ship', 'origin'], {}, config))).toEqual(['git push --force origin']);
    expect(lines(plan(['-c', 'alias.x=!rm -rf ~', 'x']))).toEqual(['rm -rf ~ ']);
    expect(lines(plan(['p'], { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'alias.p', GIT_CONFIG_VALUE_0: 'reset --hard' }))).toEqual(['git reset --hard ']);
    expect(lines(plan(['push'], {}, new Map([['alias.push', 'push --force']])))).toEqual([]);
  });

  it('runs the ssh command, editors, pager and fsmonitor only for subcommands that use them', () => {
    expect(lines(plan(['fetch'], { GIT_SSH_COMMAND: 'x' }))).toEqual(['x']);
    expect(lines(plan(['status'], { GIT_SSH_COMMAND: 'x' }))).toEqual([]);
    expect(lines(plan(['commit'], { GIT_EDITOR: 'e' }))).toEqual(['e']);
    expect(lines(plan(['commit', '--no-edit'], { GIT_EDITOR: 'e' }))).toEqual([]);
    expect(lines(plan(['rebase', 'main'], { GIT_SEQUENCE_EDITOR: 's' }))).toEqual([]);
    expect(lines(plan(['rebase', '-i', 'main'], { GIT_SEQUENCE_EDITOR: 's' }))).toEqual(['s']);
    expect(lines(plan(['-c', 'core.pager=p', 'log']))).toEqual(['p']);
    expect(lines(plan(['--no-pager', '-c', 'core.pager=p', 'log']))).toEqual([]);
    expect(lines(plan(['-c', 'core.fsmonitor=f', 'status']))).toEqual(['f']);
    expect(lines(plan(['-c', 'core.fsmonitor=true', 'status']))).toEqual([]);
  });

  it('reads foreach, --exec, bisect run, requireForce and forced remotes', () => {
    expect(lines(plan(['submodule', 'foreach', '--recursive', 'git', 'clean', '-f']))).toEqual(['git clean -f']);
    expect(lines(plan(['rebase', '-x', 'a', '--exec=b', 'main']))).toEqual(['a', 'b']);
    expect(plan(['bisect', 'run', 'make', 'test']).argvs.map((a) => a.argv)).toEqual([['make', 'test']]);
    const off = new Map([['clean.requireforce', 'false']]);
    expect(plan(['clean', '-d'], {}, off).argvs.map((a) => a.argv)).toEqual([['git', 'clean', '-f', '-d']]);
    expect(plan(['clean', '-nd'], {}, off).argvs).toEqual([]);
    const mirror = new Map([['remote.backup.mirror', 'true']]);
    expect(plan(['push', 'backup'], {}, mirror).argvs.map((a) => a.argv)).toEqual([['git', 'push', '--force', 'backup']]);
    expect(plan(['push', 'origin'], {}, mirror).argvs).toEqual([]);
  });

  it('lists hooks of the configured hooks directory', () => {
    expect(plan(['-c', 'core.hooksPath=/tmp/h', 'push']).hooks).toEqual(['/tmp/h/pre-push']);
  });
});

describe('package.json scripts set on the line', () => {
  it('runs a script set by npm pkg set or set-script, with its pre and post scripts', () => {
    const scripts = new Map<string, string>();
    recordScripts('npm', ['pkg', 'set', 'scripts.test=a', 'scripts.pretest=b'], scripts);
    recordScripts('npm', ['set-script', 'dev', 'c'], scripts);
    expect(scriptsRun('npm', ['test'], scripts)).toEqual(['b', 'a']);
    expect(scriptsRun('npm', ['run', 'dev', '--', '--x'], scripts)).toEqual(['c --x']);
    expect(scriptsRun('pnpm', ['dev'], scripts)).toEqual(['c']);
    expect(scriptsRun('npm', ['run', 'other'], scripts)).toEqual([]);
  });
});

describe('command words', () => {
  const none = new Map<string, string>();
  it('resolves globs to the known program they can match, rm first', () => {
    expect(resolveCommandWord('/???/r?', true, none)).toBe('/bin/rm');
    expect(resolveCommandWord('[r]m', true, none)).toBe('rm');
    expect(resolveCommandWord('/usr/bin/r*', true, none)).toBe('/usr/bin/rm');
    // The first match in the table's order: ln is listed before ls.
    expect(resolveCommandWord('/bin/l?', true, none)).toBe('/bin/ln');
    expect(resolveCommandWord('./*.sh', true, none)).toBe('./*.sh');
  });
  it('reads another case as the known program, and hash -p names as their path', () => {
    expect(resolveCommandWord('RM', false, none)).toBe('rm');
    expect(resolveCommandWord('/BIN/RM', false, none)).toBe('/bin/rm');
    expect(resolveCommandWord('R', false, none)).toBe('R');
    expect(resolveCommandWord('x', false, new Map([['x', '/bin/rm']]))).toBe('/bin/rm');
  });
});
