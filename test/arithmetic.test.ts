import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpret, parse } from '../src/shell/index.js';
import { cli, tempDir, tempProject } from './helpers.js';

// Arithmetic is expanded before it is evaluated, so substitutions inside it run; and `((` means arithmetic to
// bash but two nested subshells to dash (Debian's sh). Real shells show both facts on a decoy directory, then the
// binary and the shell-env guard are shown to refuse the same lines.

/** Run `line` with a real shell in a fresh directory holding the decoy `X/`; true when the decoy was deleted. */
function deletesDecoy(shell: string, line: string): boolean {
  const dir = tempDir('agentfirewall-arith-');
  mkdirSync(join(dir, 'X'));
  writeFileSync(join(dir, 'X', 'keep'), 'decoy\n');
  const r = spawnSync(shell, ['-c', line], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return !existsSync(join(dir, 'X'));
}

const LINES = [
  'echo $(( $(rm -rf X) ))',
  '(( x=$(rm -rf X) ))',
  'for ((i=$(rm -rf X);0;)); do :; done',
  "echo $(( '$(rm -rf X)' ))",
  'echo ${a[$(rm -rf X)]}',
  'a[$(rm -rf X)]=1',
  "x='a[$(rm -rf X)]'; (( x ))",
  "let 'y=a[$(rm -rf X)]'",
  "x='a[$(rm -rf X)]'; [[ $x -eq 0 ]]",
  "x='a[$(rm -rf X)]'; declare -i y=$x",
];

describe('what real shells do with arithmetic', () => {
  it.each(LINES)('bash runs the substitution in %s', (line) => {
    expect(deletesDecoy('bash', line)).toBe(true);
  });

  it('dash and sh (dash on Debian) run ((rm -rf X)) as nested subshells; bash reads it as arithmetic', () => {
    expect(deletesDecoy('dash', '((rm -rf X))')).toBe(true);
    expect(deletesDecoy('bash', '((rm -rf X))')).toBe(false);
    expect(deletesDecoy('bash', "bash -c '((rm -rf X))'")).toBe(false);
    expect(deletesDecoy('bash', "dash -c '((rm -rf X))'")).toBe(true);
    expect(deletesDecoy('bash', "echo '((rm -rf X))' | dash")).toBe(true);
  });
});

describe('the parser reads arithmetic for its substitutions, and `((` by the shell that runs it', () => {
  const CTX = { cwd: '/home/dev/project', home: '/home/dev' };
  const run = (line: string) => {
    const parsed = parse(line);
    if (!parsed.ok) throw new Error(parsed.error);
    return interpret(parsed.script, CTX).commands.filter((c) => c.argv.length).map((c) => c.argv.map((f) => f.text).join(' '));
  };

  it.each(LINES)('%s runs rm -rf X', (line) => {
    expect(run(line)).toContain('rm -rf X');
  });

  it.each([
    ["sh -c '((rm -rf X))'"],
    ["dash -c '((rm -rf X))'"],
    ["echo '((rm -rf X))' | sh"],
    ["sh <<< '((rm -rf X))'"],
    ["sh -c 'eval \"((rm -rf X))\"'"],
  ])('%s runs rm -rf X (dash reads `((` as subshells)', (line) => {
    expect(run(line)).toContain('rm -rf X');
  });

  it('bash, zsh and ksh read ((rm -rf X)) as arithmetic, which runs no command', () => {
    for (const shell of ['bash', 'zsh', 'ksh']) expect(run(`${shell} -c '((rm -rf X))'`)).toEqual([`${shell} -c ((rm -rf X))`]);
    expect(run('((rm -rf X))')).toEqual([]);
  });

  it('keeps ordinary arithmetic working', () => {
    expect(run('(( i++ )); for ((n=0; n<3; n++)); do echo "$n"; done; echo $((3)) $(( $(echo ) ))')).toEqual(['echo ', 'echo', 'echo 3 ']);
    expect(run('((ls) ; (pwd))')).toEqual(['ls', 'pwd']);
  });
});

describe('check and the bash -c guard refuse substitutions inside arithmetic', () => {
  const DENIED = [
    'echo $(( $(rm -rf .git) ))',
    '(( x=$(rm -rf .git) ))',
    'for ((i=$(rm -rf .git);;)); do :; done',
    "sh -c '((rm -rf .git))'",
    "dash -c '((rm -rf .git))'",
    "x='a[$(rm -rf .git)]'; (( x ))",
  ];

  it.each(DENIED)('check %j exits 1 with fs/git-dir', (line) => {
    const { home, project } = tempProject();
    const r = cli(['check', line], { cwd: project, home });
    expect(r.stderr).toMatch(/DENY \[fs\/git-dir\]/);
    expect(r.status).toBe(1);
  });

  it("check allows bash -c '((rm -rf .git))' (bash reads it as arithmetic, which runs nothing)", () => {
    const { home, project } = tempProject();
    expect(cli(['check', "bash -c '((rm -rf .git))'"], { cwd: project, home }).status).toBe(0);
  });

  it.each(['echo $(( $(rm -rf .git) ))', "sh -c '((rm -rf .git))'"])(
    'bash -c %j under shell-env is refused and .git survives (unguarded, the same line deletes it)',
    { timeout: 120_000 },
    (line) => {
      const { home, project } = tempProject();
      mkdirSync(join(project, '.git'));
      writeFileSync(join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, SHLVL: '1' };
      for (const m of cli(['shell-env'], { cwd: project, home }).stdout.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
      const guarded = spawnSync('bash', ['-c', line], { cwd: project, env, encoding: 'utf8', timeout: 100_000 });
      expect(guarded.stderr).toMatch(/DENY \[fs\/git-dir\]/);
      expect(guarded.status).toBe(126);
      expect(existsSync(join(project, '.git', 'HEAD'))).toBe(true);
      const unguarded = spawnSync('bash', ['-c', line], { cwd: project, env: { PATH: env.PATH, HOME: home }, encoding: 'utf8', timeout: 30_000 });
      expect(unguarded.error).toBeUndefined();
      expect(existsSync(join(project, '.git'))).toBe(false);
    },
  );
});
