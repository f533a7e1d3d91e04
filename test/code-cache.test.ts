import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir, tempProject } from './helpers.js';

/** A copy of the built package of its own, so that no other test's checks touch its code cache. */
function packageCopy(): string {
  const dir = tempDir('agentfirewall-pkg-');
  for (const part of ['bin', 'presets', 'hooks', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.includes('.v8cache') });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('the start-up code cache', () => {
  it('is written after the first check and again the first time a denial or a logged line takes a new way', () => {
    const pkg = packageCopy();
    const { project, home } = tempProject();
    const check = (line: string) =>
      spawnSync(process.execPath, [join(pkg, 'bin/agentfirewall.js'), 'check', line], { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, encoding: 'utf8' }).status;
    const cache = () => readdirSync(join(pkg, 'dist')).find((f) => f.endsWith('.v8cache'));
    const ways = () => readFileSync(join(pkg, 'dist', `${cache()}.paths`), 'utf8').split('\n');
    const written = () => statSync(join(pkg, 'dist', cache()!)).mtimeMs;

    expect(check('git status')).toBe(0);
    expect(cache()).toMatch(/^cli\.cjs\.v\d+\.\d+\.\d+-\w+\.v8cache$/);
    expect(ways()).toEqual(['check:0:quiet']);
    const first = written();

    expect(check('git status')).toBe(0);
    expect(written()).toBe(first); // the same way again: the cache is used, not rewritten

    expect(check('git reset --hard')).toBe(1);
    expect(ways()).toEqual(['check:0:quiet', 'check:1:logged']);
    const second = written();
    expect(check('git push --force')).toBe(1);
    expect(written()).toBe(second);
    expect(readdirSync(join(pkg, 'dist')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(project, '.agentfirewall/logs/firewall.log'))).toBe(true);
  }, 60_000);
});
