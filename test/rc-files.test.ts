import { linkSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from './helpers.js';

// install-hooks / uninstall-hooks through the real binary, on startup files as people really have them.
const install = (p: { home: string; project: string }) => cli(['install-hooks', '--shell', 'bash'], { cwd: p.project, home: p.home });
const uninstall = (p: { home: string; project: string }) => cli(['uninstall-hooks', '--shell', 'bash'], { cwd: p.project, home: p.home });

describe('rc files: bytes, stray markers, links', () => {
  it('a ~/.bashrc that is not UTF-8 comes back byte for byte', () => {
    const p = tempProject();
    const original = Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a, 0x61, 0x6c, 0x69, 0x61, 0x73, 0x20, 0x78, 0x3d, 0xc3, 0x28, 0x0a, 0x80]);
    const rc = join(p.home, '.bashrc');
    writeFileSync(rc, original);
    expect(install(p).status).toBe(0);
    const installed = readFileSync(rc);
    expect(installed.subarray(0, original.length).equals(original)).toBe(true);
    expect(installed.toString('latin1')).toMatch(/# >>> agentfirewall >>>/);
    expect(uninstall(p).status).toBe(0);
    expect(readFileSync(rc).equals(original)).toBe(true);
  });

  it('a begin marker without its end marker: uninstall refuses, says file:line, and deletes nothing', () => {
    const p = tempProject();
    const rc = join(p.home, '.bashrc');
    const original = 'export A=1\n# >>> agentfirewall >>>\nalias keep=mine\nexport PATH=$PATH:~/bin\n';
    writeFileSync(rc, original);
    const r = uninstall(p);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${rc}:2: an agentfirewall begin marker without its end marker`);
    expect(readFileSync(rc, 'utf8')).toBe(original);
    // Nor does install add a block whose end would make the user's lines look like ours.
    const i = install(p);
    expect(i.status).toBe(2);
    expect(i.stderr).toContain(`${rc}:2:`);
    expect(readFileSync(rc, 'utf8')).toBe(original);
  });

  it('a stray begin marker above an installed block: uninstall refuses instead of taking the lines between', () => {
    const p = tempProject();
    const rc = join(p.home, '.bashrc');
    writeFileSync(rc, 'alias keep=mine\n');
    expect(install(p).status).toBe(0);
    const withBlock = readFileSync(rc, 'utf8');
    const tampered = `# >>> agentfirewall >>>\nexport MINE=1\n${withBlock}`;
    writeFileSync(rc, tampered);
    const r = uninstall(p);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${rc.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1: an agentfirewall begin marker without its end marker`));
    expect(readFileSync(rc, 'utf8')).toBe(tampered);
  });

  it('a hard-linked rc file keeps its inode, so every name of it sees the change', () => {
    const p = tempProject();
    mkdirSync(join(p.home, 'dotfiles'));
    const shared = join(p.home, 'dotfiles/bashrc');
    const rc = join(p.home, '.bashrc');
    writeFileSync(shared, 'alias ll="ls -l"\n');
    linkSync(shared, rc);
    const ino = statSync(rc).ino;
    expect(install(p).status).toBe(0);
    expect(statSync(rc).ino).toBe(ino);
    expect(readFileSync(shared, 'utf8')).toMatch(/agentfirewall/);
    expect(uninstall(p).status).toBe(0);
    expect(statSync(rc).ino).toBe(ino);
    expect(readFileSync(shared, 'utf8')).toBe('alias ll="ls -l"\n');
  });

  it('a symlinked rc file is written through; a dangling one is refused with a clear message', () => {
    const p = tempProject();
    const rc = join(p.home, '.bashrc');
    symlinkSync(join(p.home, 'dotfiles/missing-bashrc'), rc);
    const r = install(p);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.bashrc is a symbolic link to a file that does not exist; nothing was changed/);
    expect(statSync(join(p.home), { throwIfNoEntry: false })).toBeDefined();
    expect(() => statSync(join(p.home, 'dotfiles/missing-bashrc'))).toThrow();
  });
});
