import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATHOLOGICAL } from './fixtures/pathological.mjs';
import { BIN, cli, tempProject } from './helpers.js';
import { command, engineFrom } from './policy-helpers.js';

// Lines whose checking would grow without bound are denied as parse/too-complex (never a crash, never a silent
// cut); text a shell would not read as shown is denied as parse/unparseable. Decision times are printed by
// bench/bounds.js, not asserted here.

describe('bounds: every pathological shape is denied as parse/too-complex, nothing throws', () => {
  const engine = engineFrom('standard');

  it.each(PATHOLOGICAL as [string, string][])('%s', (_name, line) => {
    const d = command(engine, line);
    expect(d.verdict).toBe('deny');
    expect(d.rule).toBe('parse/too-complex');
  });

  it('a cut never hides the last items: every brace word, loop item and xargs item is judged', () => {
    const items = Array.from({ length: 300 }, (_, i) => `d${i}`);
    expect(command(engine, `rm -rf {${items.join(',')},.git}`).rule).toBe('fs/git-dir');
    expect(command(engine, `for d in ${items.join(' ')} .git; do rm -rf "$d"; done`).rule).toBe('fs/git-dir');
    expect(command(engine, `printf '%s\\n' ${items.join(' ')} .git | xargs rm -rf`).rule).toBe('fs/git-dir');
    expect(command(engine, `printf '%s\\n' ${items.join(' ')} .git | xargs -I{} rm -rf {}`).rule).toBe('fs/git-dir');
  });

  it('ordinary large lines stay within the bounds and are judged as usual', () => {
    const file = 'const x = 1; // $HOME `ticks` $(not run)\n'.repeat(15_000); // 630 KB

    expect(command(engine, `cat > src/big.ts <<'EOF'\n${file}EOF`).verdict).toBe('allow');
    expect(command(engine, `cat > .env <<'EOF'\n${file}EOF`).rule).toBe('secrets/env-file');
    expect(command(engine, `git add ${Array.from({ length: 2000 }, (_, i) => `src/f${i}.ts`).join(' ')}`).verdict).toBe('allow');
    expect(command(engine, 'for i in {1..500}; do echo "$i"; done').verdict).toBe('allow');
  });

  it('trims long values with * patterns exactly, without a blow-up', () => {
    const long = 'a'.repeat(100_000);
    expect(command(engine, `x=~/${long}; rm -rf "\${x%%/a*}"`).rule).toBe('fs/rm-home');
    expect(command(engine, `x=${long}; echo "\${x%%*a*a*a*a*a*a*a*a*a*a*b}"`).verdict).toBe('allow');
  });

  it.each([
    ['a NUL byte', 'rm -rf .git\u0000'],
    ['a NUL byte inside a word', 'echo a\u0000b'],
    ['an undecodable byte (U+FFFD after decoding)', 'rm -rf .git\uFFFD'],
    ['a lone high surrogate', 'echo \uD800'],
    ['a lone low surrogate', 'echo \uDC00x'],
  ])('%s is denied as parse/unparseable', (_name, line) => {
    const d = command(engine, line);
    expect(d.verdict).toBe('deny');
    expect(d.rule).toBe('parse/unparseable');
  });

  it("a NUL that $'…' decodes ends the string, as in bash ($'.git\\0x' is .git)", () => {
    expect(command(engine, "rm -rf $'.git\\x00tail'").rule).toBe('fs/git-dir');
    expect(command(engine, "rm -rf $'.git\\c@tail'").rule).toBe('fs/git-dir');
    expect(command(engine, 'echo \u{1F600} ok').verdict).toBe('allow'); // a surrogate pair is a character
  });
});

describe('bounds through the real binary, hooks and guards', () => {
  it.each([
    ['variable doubling x40', 'x=a; ' + 'x=$x$x; '.repeat(40)],
    ['array doubling x40', 'a=(a); ' + 'a=("${a[@]}" "${a[@]}"); '.repeat(40)],
    ['command substitution 10k deep', '$('.repeat(10_000) + 'rm -rf ~' + ')'.repeat(10_000)],
  ])('check denies %s with exit 1 and parse/too-complex', (_name, line) => {
    const { home, project } = tempProject();
    const r = cli(['check', line], { cwd: project, home });
    expect(r.stderr).toMatch(/DENY \[parse\/too-complex\]/);
    expect(r.status).toBe(1);
  });

  it('a raw 0xff byte given to check arrives as something it denies (parse/unparseable)', () => {
    const { home, project } = tempProject();
    // bash's printf puts the byte itself into argv; node decodes argv as UTF-8.
    const r = spawnSync('bash', ['-c', `exec "$0" "$1" check "$(printf 'ls \\377')"`, process.execPath, BIN], {
      cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, encoding: 'utf8',
    });
    expect(r.stderr).toMatch(/DENY \[parse\/unparseable\].*not UTF-8/);
    expect(r.status).toBe(1);
  });

  it.each([
    ['a NUL byte', Buffer.from(JSON.stringify({ command: 'ls\u0000' }))],
    ['a raw 0xff byte', Buffer.concat([Buffer.from('{"command":"ls '), Buffer.from([0xff]), Buffer.from('"}')])],
    ['a lone surrogate escape', Buffer.from('{"command":"ls \\ud800"}')],
    ['a 2 MB command', Buffer.from(JSON.stringify({ command: 'echo ' + 'x'.repeat(2 << 20) }))],
  ])('the claude hook denies a command with %s', (_name, toolInput) => {
    const { home, project } = tempProject();
    const input = Buffer.concat([
      Buffer.from(`{"session_id":"s","cwd":${JSON.stringify(project)},"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":`),
      toolInput,
      Buffer.from('}'),
    ]);
    const r = spawnSync(process.execPath, [BIN, 'hook', 'claude'], {
      cwd: project, input, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CLAUDE_PROJECT_DIR: project }, encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(out.hookSpecificOutput.permissionDecisionReason).toMatch(/parse\/(unparseable|too-complex)/);
  });

  it('a guarded bash -c asking the resident checker refuses a line holding a raw 0xff byte, and runs none of it', { timeout: 120_000 }, async () => {
    const { home, project } = tempProject();
    const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, SHLVL: '1' };
    const server = spawn(process.execPath, [BIN, 'serve'], { cwd: project, env: baseEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    try {
      const run = join(project, '.agentfirewall/run');
      for (const start = Date.now(); Date.now() - start < 60_000; await new Promise((r) => setTimeout(r, 50))) {
        if (server.exitCode !== null || (existsSync(run) && readdirSync(run).some((f) => f !== '.gitignore'))) break;
      }
      expect(server.exitCode).toBeNull();
      const env: Record<string, string> = { ...baseEnv };
      for (const m of cli(['shell-env'], { cwd: project, home }).stdout.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
      mkdirSync(join(project, 'keep'));
      writeFileSync(join(project, 'keep', 'x'), 'x');
      // dash (which BASH_ENV does not guard) puts the raw byte into the guarded bash's -c string.
      const r = spawnSync('dash', ['-c', 'exec bash -c "rm -rf keep; echo $(printf \'\\377\')"'], { cwd: project, env, encoding: 'utf8', timeout: 100_000 });
      expect(r.stderr).toMatch(/DENY \[parse\/unparseable\]/);
      expect(r.status).toBe(126);
      expect(existsSync(join(project, 'keep', 'x'))).toBe(true);
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});
