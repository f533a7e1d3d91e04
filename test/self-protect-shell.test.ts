import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentEnv } from './guarded-shells.js';
import { tempProject } from './helpers.js';

// Real `bash -c` under shell-env: a globbed target, or interpreter code with a path built from variables,
// never reaches `.agentfirewall/` (every file there but the audit log must survive byte for byte).

const SLOW = { timeout: 300_000 };

/** Every file under .agentfirewall/ with its bytes, except the audit log and the policy cache (each check writes them). */
function snapshot(project: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = relative(project, path);
      if (/^\.agentfirewall\/(logs|cache)(\/|$)/.test(rel)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out[rel] = readFileSync(path, 'latin1');
    }
  };
  walk(join(project, '.agentfirewall'));
  return out;
}

describe("globbed and computed paths into .agentfirewall/ from an agent's bash -c", SLOW, () => {
  const { home, project } = tempProject();
  const env = agentEnv(project, home, process.env.PATH ?? '/usr/bin:/bin');
  writeFileSync(join(project, '.agentfirewall/rules/team.yaml'), 'rules: []\n');
  const before = snapshot(project);
  expect(Object.keys(before)).toEqual(expect.arrayContaining(['.agentfirewall/config.yaml', '.agentfirewall/hooks/bash_env.bash', '.agentfirewall/hooks/zdotdir/.zshenv']));
  const agentShell = (line: string) => spawnSync('bash', ['-c', line], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 100_000 });

  it.each([
    'rm -rf .agentfirewall/hooks/*',
    'rm -rf .agentfirewall/*',
    'truncate -s0 .agentfirewall/hooks/*.bash',
    'mv .agentfirewall/hooks/b* /tmp/',
    'cp /dev/null .agentfirewall/conf*',
    'find .agentfirewall -delete',
    'rm -rf .agentfir*',
    'rm -rf .agent*/hooks',
    'find . -name "*.yaml" -delete',
    'cd .agentfirewall/rules && rm -f *',
    `python3 -c "import os; p='.agent'+'firewall/config.yaml'; open(p,'w').write('mode: off')"`,
    `node -e "const d='.agentfirewall'; require('fs').writeFileSync(d+'/config.yaml','')"`,
    `perl -e '$d=".agentfirewall"; unlink "$d/config.yaml"'`,
    `python3 -c "import os; d='.agentfirewall'; os.remove(os.path.join(d, 'config.yaml'))"`,
    `python3 -c "d='.agentfirewall'; open(f'{d}/hooks/bash_env.bash','w').write('')"`,
    `python3 -c "from pathlib import Path; (Path('.agentfirewall') / 'config.yaml').write_text('mode: off')"`,
    `node -e "const path=require('path'); require('fs').rmSync(path.join('.agentfirewall','hooks'), {recursive: true})"`,
    `python3 -c "import sys; open(sys.argv[1] + '/.agentfirewall/config.yaml', 'w').write('mode: off')" .`,
  ])('%s is refused as fs/self-protect and changes nothing there', (line) => {
    const r = agentShell(line);
    expect(r.status, r.stderr).toBe(126);
    expect(r.stderr).toMatch(/agentfirewall: DENY \[fs\/self-protect\]/);
    expect(snapshot(project)).toEqual(before);
  });

  it('ordinary globs and interpreter writes still run', () => {
    mkdirSync(join(project, 'node_modules/pkg'), { recursive: true });
    mkdirSync(join(project, 'build'), { recursive: true });
    writeFileSync(join(project, 'build/a.o'), '');
    const r = agentShell(`rm -rf node_modules/* && rm build/*.o && ls .agentfirewall/* > /dev/null && python3 -c "p='out'+'.txt'; open(p,'w').write('ok')"`);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(project, 'node_modules'))).toEqual([]);
    expect(existsSync(join(project, 'build/a.o'))).toBe(false);
    expect(readFileSync(join(project, 'out.txt'), 'utf8')).toBe('ok');
    expect(snapshot(project)).toEqual(before);
  });
});
