import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { BIN, cli, ROOT, tempDir, tempProject, write } from './helpers.js';

const logOf = (project: string) =>
  readFileSync(join(project, '.agentfirewall/logs/firewall.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('init', () => {
  it('creates .agentfirewall/ with a complete config and its directories', () => {
    const { project, home } = tempProject({ init: false });
    const r = cli(['init'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/created .*config\.yaml \(preset standard/);
    for (const sub of ['rules', 'logs', 'hooks', 'plugins']) expect(existsSync(join(project, '.agentfirewall', sub))).toBe(true);
    const text = readFileSync(join(project, '.agentfirewall/config.yaml'), 'utf8');
    expect(text).toMatch(/^preset: standard$/m);
    expect(text).toMatch(/git\/push-force/);
  });

  it('refuses to overwrite without --force and changes nothing', () => {
    const { project, home } = tempProject();
    const config = join(project, '.agentfirewall/config.yaml');
    writeFileSync(config, 'mode: audit\n');
    const r = cli(['init', '--preset', 'strict'], { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already exists; use --force/);
    expect(readFileSync(config, 'utf8')).toBe('mode: audit\n');
  });

  it('--force rewrites the config and keeps rules/ and logs/', () => {
    const { project, home } = tempProject();
    write(join(project, '.agentfirewall/rules/10-team.yaml'), 'rules: []\n');
    const r = cli(['init', '--preset', 'strict', '--force'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(readFileSync(join(project, '.agentfirewall/config.yaml'), 'utf8')).toMatch(/^preset: strict$/m);
    expect(existsSync(join(project, '.agentfirewall/rules/10-team.yaml'))).toBe(true);
  });

  it('an unknown preset is a usage error that creates nothing', () => {
    const { project, home } = tempProject({ init: false });
    const r = cli(['init', '--preset', 'strikt'], { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/strikt/);
    expect(existsSync(join(project, '.agentfirewall'))).toBe(false);
  });
});

describe('check', () => {
  it('allows with exit 0, a message on stderr and nothing on stdout', () => {
    const { project, home } = tempProject();
    const r = cli(['check', 'git status'], { cwd: project, home });
    expect(r).toMatchObject({ status: 0, stdout: '' });
    expect(r.stderr).toMatch(/^agentfirewall: ALLOW git status/);
  });

  it('denies with exit 1, naming the rule id and reason', () => {
    const { project, home } = tempProject();
    const r = cli(['check', 'sudo rm --recursive --force /'], { cwd: project, home });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^agentfirewall: DENY \[fs\/rm-root\] sudo rm --recursive --force \/: recursive delete of the root directory/);
  });

  it('--json prints the decision on stdout only', () => {
    const { project, home } = tempProject();
    const r = cli(['check', '--json', 'git push origin +main -f'], { cwd: project, home });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'deny', rule: 'git/push-force', type: 'command', target: 'git push origin +main -f' });
  });

  it('--quiet prints nothing for an allowed command', () => {
    const { project, home } = tempProject();
    expect(cli(['check', '-q', 'ls'], { cwd: project, home })).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('warns with exit 0 in audit mode', () => {
    const { project, home } = tempProject({ init: 'permissive' });
    const r = cli(['check', 'git reset --hard'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/WARN \[git\/reset-hard\].*\[AUDIT\]/);
  });

  it('finds the project from a subdirectory, like git', () => {
    const { project, home } = tempProject();
    mkdirSync(join(project, 'src/deep'), { recursive: true });
    expect(cli(['check', 'git push -f'], { cwd: join(project, 'src/deep'), home }).status).toBe(1);
  });

  it('outside a project exits 2 with "no .agentfirewall/ found"', () => {
    const dir = tempDir();
    const r = cli(['check', 'ls'], { cwd: dir, home: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no \.agentfirewall\/ found/);
  });

  it('a broken config exits 2 listing every error with file:line:col, and checks nothing', () => {
    const { project, home } = tempProject();
    writeFileSync(join(project, '.agentfirewall/config.yaml'), 'version: 1\nmode: enforse\nfilesystem:\n  deny_operation: [delete]\n');
    const r = cli(['check', 'ls'], { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/2 errors; nothing was checked/);
    expect(r.stderr).toMatch(/\.agentfirewall\/config\.yaml:2:1: mode: .* \(did you mean 'enforce'\?\)/);
    expect(r.stderr).toMatch(/\.agentfirewall\/config\.yaml:4:3: filesystem\.deny_operation: unknown key .* \(did you mean 'deny_operations'\?\)/);
  });

  it('invalid YAML in a rules file is reported with its position', () => {
    const { project, home } = tempProject();
    write(join(project, '.agentfirewall/rules/10-team.yaml'), 'rules:\n  - id: team/x\n    command: [npm publish\n');
    const r = cli(['check', 'ls'], { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/rules\/10-team\.yaml:\d+:\d+: invalid YAML/);
  });

  it('rules files apply, and a config change is picked up at once (the cache is keyed by content)', () => {
    const { project, home } = tempProject();
    expect(cli(['check', 'npm publish'], { cwd: project, home }).status).toBe(0);
    write(join(project, '.agentfirewall/rules/10-team.yaml'), 'rules:\n  - id: team/no-publish\n    reason: releases go through CI\n    command: npm publish\n');
    const r = cli(['check', 'npm publish --tag next'], { cwd: project, home });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\[team\/no-publish\] .*releases go through CI/);
    const config = join(project, '.agentfirewall/config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^mode: enforce$/m, 'mode: off'));
    expect(cli(['check', 'npm publish'], { cwd: project, home }).status).toBe(0);
  });
});

describe('check-file and check-network', () => {
  it('check-file resolves .. and symlinks before deciding', () => {
    const { project, home } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    mkdirSync(join(project, 'src'));
    symlinkSync(join(project, '.env'), join(project, 'settings'));
    expect(cli(['check-file', 'src/../.env', '-o', 'delete'], { cwd: project, home }).status).toBe(1);
    // Writing through the link writes .env; deleting the link leaves .env alone.
    expect(cli(['check-file', 'settings', '-o', 'write'], { cwd: project, home }).status).toBe(1);
    expect(cli(['check-file', 'settings', '-o', 'delete'], { cwd: project, home }).status).toBe(0);
    expect(cli(['check-file', 'src/new.ts', '--operation', 'create'], { cwd: project, home }).status).toBe(0);
  });

  it('check-file on the firewall itself is denied', () => {
    const { project, home } = tempProject();
    const r = cli(['check-file', '.agentfirewall/config.yaml', '-o', 'write', '--json'], { cwd: project, home });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).rule).toBe('fs/self-protect');
  });

  it('check-network denies metadata endpoints however written', () => {
    const { project, home } = tempProject();
    expect(cli(['check-network', 'http://169.254.169.254/latest'], { cwd: project, home }).status).toBe(1);
    expect(cli(['check-network', '0xa9fea9fe', '--port', '80'], { cwd: project, home }).status).toBe(1);
    expect(cli(['check-network', 'github.com'], { cwd: project, home }).status).toBe(0);
  });

  it('check-network decides every way of writing a host, and refuses what is none with exit 2', () => {
    const { project, home } = tempProject();
    const config = join(project, '.agentfirewall/config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^  level: warn$/m, '  level: info'));
    const hosts = ['github.com', 'api.github.com.', 'localhost:8080', '10.0.0.1', '[::1]:443', '::1', 'https://example.com:8443/a?b', 'bücher.de', 'my_host.internal'];
    for (const host of hosts) expect(cli(['check-network', host], { cwd: project, home })).toMatchObject({ status: 0, stdout: '' });
    const bad = ['not a host!!', '', 'exa mple.com', 'a..b', 'trail-.example.com', 'example.com:0', 'example.com:70000', 'host:port', 'http://', 'http://x:99999/', '[::g]'];
    for (const host of bad) {
      const r = cli(['check-network', host], { cwd: project, home });
      expect(r.status, host).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^agentfirewall: '.*' (is not a host name, IP address or URL|is not a valid URL|has port .*)\nagentfirewall: pass a host such as/);
    }
    const r = cli(['check-network', 'example.com', '-p', '0'], { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument '0' is invalid\. A port is a number from 1 to 65535/);
    expect(cli(['check-network', 'example.com', '-p', '65535'], { cwd: project, home }).status).toBe(0);
    // Only the decisions were logged: nothing for the refused inputs.
    expect(logOf(project).map((l) => l.target)).toEqual([...hosts, 'example.com:65535']);
    }, 60_000);
});

describe('usage errors exit 2, never 1 (which means deny)', () => {
  const { project, home } = tempProject();
  it.each([
    [['frobnicate'], /^agentfirewall: run 'agentfirewall help'/],
    [['help', 'frobnicate'], /^agentfirewall: run 'agentfirewall help'/],
    [['check'], /^agentfirewall: pass the command line as one argument: agentfirewall check '<command>'$/],
    [['check', '--bogus', 'ls'], /^agentfirewall: quote the command line, it is one argument: agentfirewall check '--bogus ls'$/],
    [['check-file', '.env'], /^agentfirewall: run 'agentfirewall check-file --help'/],
    [['check-file', '.env', '-o', 'obliterate'], /^agentfirewall: run 'agentfirewall check-file --help'/],
    [['check-network', 'x', '--port', '99999'], /^agentfirewall: run 'agentfirewall check-network --help'/],
    [['check-network', 'x', '-p', '0'], /^agentfirewall: run 'agentfirewall check-network --help'/],
    [['init', '--preset'], /^agentfirewall: run 'agentfirewall init --help'/],
  ])('%j: every line prefixed, the last one a hint', (args, hint) => {
    const r = cli(args, { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(/^agentfirewall: \S/);
    expect(lines.at(-1)).toMatch(hint);
  });

  it('an unquoted command line is refused with the quoted line to run instead, and nothing is decided', () => {
    const { project, home } = tempProject();
    for (const [args, quoted] of [
      [['check', 'rm', '-rf', '/'], "agentfirewall check 'rm -rf /'"],
      [['check', '--json', 'git', 'push', '--force'], "agentfirewall check --json 'git push --force'"],
      [['check', '--cwd', 'a dir', 'echo', "it's"], "agentfirewall check --cwd 'a dir' 'echo it'\\''s'"],
      [['explain', 'git', 'reset', '--hard'], "agentfirewall explain 'git reset --hard'"],
      [['check', '-q', '--', 'rm', '-rf', '/'], "agentfirewall check -q 'rm -rf /'"],
    ] as const) {
      const r = cli([...args], { cwd: project, home });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^agentfirewall: (unknown option|too many arguments)/);
      expect(r.stderr).toContain(`agentfirewall: quote the command line, it is one argument: ${quoted}\n`);
    }
    expect(existsSync(join(project, '.agentfirewall/logs/firewall.log'))).toBe(false);
  }, 60_000);

  it('a bare agentfirewall shows the help on stderr and exits 2', () => {
    const r = cli([], { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage: agentfirewall/);
  });

  it.each([[['help']], [['help', 'check']], [['help', 'check-network']]])('%j prints help on stdout and exits 0', (args) => {
    const r = cli(args, { cwd: project, home });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: agentfirewall ${args[1] ?? ''}`));
    expect(r.stderr).toBe('');
  });

  it('help check is the same text as check --help', () => {
    expect(cli(['help', 'check'], { cwd: project, home }).stdout).toBe(cli(['check', '--help'], { cwd: project, home }).stdout);
  });

  it.each([
    ['--help'], ['check', '--help'], ['check-file', '--help'], ['check-network', '--help'], ['init', '--help'], ['status', '--help'],
    ['explain', '--help'], ['install-hooks', '--help'], ['uninstall-hooks', '--help'], ['shell-env', '--help'], ['serve', '--help'],
    ['watch', '--help'], ['protect', '--help'], ['unprotect', '--help'], ['hook', '--help'],
  ])('%s %s prints help and exits 0', (...args) => {
    const r = cli(args, { cwd: project, home });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: agentfirewall/);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    for (const args of [['--version'], ['-v'], ['version']]) expect(cli(args, { cwd: project, home })).toMatchObject({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('audit log', () => {
  it('writes one JSON line per decision with the fields of the design', () => {
    const { project, home } = tempProject();
    cli(['check', '--source', 'bash', 'git push -f'], { cwd: project, home });
    const [line] = logOf(project);
    expect(Object.keys(line)).toEqual(['time', 'type', 'target', 'verdict', 'rule', 'source', 'cwd', 'pid', 'detail']);
    expect(line).toMatchObject({ type: 'command', target: 'git push -f', verdict: 'deny', rule: 'git/push-force', source: 'bash', cwd: project });
    expect(new Date(line.time).toISOString()).toBe(line.time);
  });

  it('level warn skips allowed decisions; level info records them', () => {
    const { project, home } = tempProject();
    cli(['check', 'ls'], { cwd: project, home });
    expect(existsSync(join(project, '.agentfirewall/logs/firewall.log'))).toBe(false);
    const config = join(project, '.agentfirewall/config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^  level: warn$/m, '  level: info'));
    cli(['check', 'ls'], { cwd: project, home });
    cli(['check-network', 'github.com'], { cwd: project, home });
    expect(logOf(project).map((l) => [l.type, l.verdict])).toEqual([['command', 'allow'], ['network', 'allow']]);
  });

  it('an unwritable log is an error (exit 2), never silently skipped', () => {
    const { project, home } = tempProject();
    rmSync(join(project, '.agentfirewall/logs'), { recursive: true });
    writeFileSync(join(project, '.agentfirewall/logs'), 'not a directory\n');
    const r = cli(['check', 'git push -f'], { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/DENY \[git\/push-force\]/);
    expect(r.stderr).toMatch(/cannot write the audit log .*firewall\.log: (ENOTDIR|EEXIST)/);
  });
});

describe('explain', () => {
  it('shows the commands a line runs, what was unwrapped, the effects, the matches and the decision', () => {
    const { project, home } = tempProject();
    const r = cli(['explain', 'cd .. && sudo env X=1 /bin/rm -r -f "$OLDPWD"'], { cwd: project, home });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^runs:$/m);
    expect(r.stdout).toMatch(/2\. \/bin\/rm -r -f .*\/project\n\s+cwd .*; unwrapped from sudo env/);
    expect(r.stdout).toMatch(/effect: delete .*\/project \(recursive\)/);
    expect(r.stdout).toMatch(/^matched:\n\s+DENY fs\/rm-project: recursive delete of the project root/m);
    expect(r.stdout).toMatch(/^decision\s+DENY fs\/rm-project/m);
  });

  it('--json gives the same as data', () => {
    const { project, home } = tempProject();
    const r = cli(['explain', '--json', 'echo Z2l0IHJlc2V0IC0taGFyZA== | base64 -d | bash'], { cwd: project, home });
    expect(r.status).toBe(1);
    const data = JSON.parse(r.stdout);
    expect(data.parse).toEqual({ ok: true });
    expect(data.commands.map((c: { argv: string[] }) => c.argv.join(' '))).toEqual(['echo Z2l0IHJlc2V0IC0taGFyZA==', 'base64 -d', 'bash', 'git reset --hard']);
    expect(data.commands[3].via).toEqual(['bash (stdin)']);
    expect(data.decision).toMatchObject({ verdict: 'deny', rule: 'git/reset-hard' });
  });

  it('an allowed line exits 0 and says why', () => {
    const { project, home } = tempProject();
    const r = cli(['explain', 'echo "rm -rf /"'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/decision\s+ALLOW default\/allow: no rule matched/);
  });
});

describe('status', () => {
  it('shows mode, preset, rules and recent decisions', () => {
    const { project, home } = tempProject();
    cli(['check', 'git push -f'], { cwd: project, home });
    const r = cli(['status'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^mode\s+enforce$/m);
    expect(r.stdout).toMatch(/^preset\s+standard$/m);
    expect(r.stdout).toMatch(/^rules\s+\d+ in force \(\d+ from the preset, config and rule files, \d+ built-in\)$/m);
    expect(r.stdout).not.toMatch(/pattern rules/);
    expect(r.stdout).toMatch(/^\s+by pack: fs \d+, git 4, .*tamper \d+/m);
    expect(r.stdout).toMatch(/DENY\s+git\/push-force command git push -f/);
    const json = JSON.parse(cli(['status', '--json'], { cwd: project, home }).stdout);
    expect(json).toMatchObject({ projectDir: project, mode: 'enforce', preset: 'standard', issues: [] });
  });

  it('counts a pack switched off in one line as out of force', () => {
    const { project, home } = tempProject();
    const file = join(project, '.agentfirewall/config.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^rules: \[\]$/m, 'rules:\n  - id: git/*\n    action: off'));
    const r = cli(['status'], { cwd: project, home });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+by pack: fs \d+, disk/m);
    expect(r.stdout).not.toMatch(/by pack:.*git/);
    expect(cli(['check', 'git push -f'], { cwd: project, home }).status).toBe(0);
  });

  it('shows the last five decisions even right after the log rotated', () => {
    const { project, home } = tempProject();
    const logs = join(project, '.agentfirewall/logs');
    const line = (target: string) => `${JSON.stringify({ time: new Date().toISOString(), type: 'command', target, verdict: 'deny', rule: 'git/push-force', source: 'cli', pid: 1, detail: 'd' })}\n`;
    write(join(logs, 'firewall.log.2'), ['one', 'two', 'three'].map(line).join(''));
    write(join(logs, 'firewall.log.1'), ['four', 'five'].map(line).join(''));
    write(join(logs, 'firewall.log'), line('six'));
    const r = cli(['status', '--json'], { cwd: project, home });
    expect(JSON.parse(r.stdout).recent.map((d: { target: string }) => d.target)).toEqual(['two', 'three', 'four', 'five', 'six']);
  });

  it('reports config errors and exits 2', () => {
    const { project, home } = tempProject();
    writeFileSync(join(project, '.agentfirewall/config.yaml'), 'mode: loud\n');
    const r = cli(['status'], { cwd: project, home });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/config errors \(1\)/);
    expect(r.stdout).toMatch(/config\.yaml:1:1: mode: must be one of/);
  });
});

describe('unprotect --remove-config', () => {
  /** A project with two decisions in its audit log. */
  function projectWithLog(): { project: string; home: string; log: string } {
    const { project, home } = tempProject();
    cli(['check', 'git push -f'], { cwd: project, home });
    cli(['check', 'git reset --hard'], { cwd: project, home });
    const log = readFileSync(join(project, '.agentfirewall/logs/firewall.log'), 'utf8');
    expect(log.trim().split('\n')).toHaveLength(2);
    return { project, home, log };
  }
  const kept = (home: string) => {
    const dir = join(home, '.local/state/agentfirewall/removed');
    return existsSync(dir) ? readdirSync(dir).map((d) => join(dir, d)) : [];
  };

  it('without --yes and no terminal: deletes the config and keeps the audit log outside the project', () => {
    const { project, home, log } = projectWithLog();
    const r = cli(['unprotect', '--remove-config'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(existsSync(join(project, '.agentfirewall'))).toBe(false);
    const [dir] = kept(home);
    expect(dir).toMatch(/\/project-\d{4}-/);
    expect(readFileSync(join(dir, 'logs/firewall.log'), 'utf8')).toBe(log);
    expect(r.stderr).toContain(`agentfirewall: kept the audit log: moved to ${dir} (add --yes to delete it with the config)`);
    // Nothing left marks the directory as protected.
    expect(cli(['check', 'ls'], { cwd: project, home }).stderr).toMatch(/no \.agentfirewall\/ found/);
    }, 30_000);

  it('with --yes deletes the audit log too', () => {
    const { project, home } = projectWithLog();
    expect(cli(['unprotect', '--remove-config', '--yes'], { cwd: project, home }).status).toBe(0);
    expect(existsSync(join(project, '.agentfirewall'))).toBe(false);
    expect(kept(home)).toEqual([]);
    }, 30_000);

  it('on a terminal asks, and deletes the log only on yes', () => {
    for (const [answer, keeps] of [['y', false], ['n', true], ['', true]] as const) {
      const { project, home, log } = projectWithLog();
      const command = [process.execPath, BIN, 'unprotect', '--remove-config'].map((w) => `'${w}'`).join(' ');
      // script(1) gives the command a terminal and types the answer into it.
      const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, input: `${answer}\n`, encoding: 'utf8', timeout: 20_000 });
      expect(r.status, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/delete the audit log too \(\.agentfirewall\/logs\)\? \[y\/N\]/);
      expect(existsSync(join(project, '.agentfirewall'))).toBe(false);
      expect(kept(home).length).toBe(keeps ? 1 : 0);
      if (keeps) expect(readFileSync(join(kept(home)[0], 'logs/firewall.log'), 'utf8')).toBe(log);
    }
  }, 60_000);
});
