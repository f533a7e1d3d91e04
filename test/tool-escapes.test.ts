import { describe, expect, it } from 'vitest';
import { editorRun, editorShellLines, editorWrites } from '../src/shell/editor-commands.js';
import { elispLines, expectLines, makefileLines, shellWord } from '../src/shell/script-escapes.js';
import { sedEffects, sedScripts } from '../src/shell/sed-script.js';
import { toolEscapes } from '../src/shell/tool-escapes.js';
import { isDiskDryRun, isMoreDiskDevice } from '../src/engine/disk-devices.js';
import { parseArgs } from '../src/engine/tool-args.js';

const lit = (text: string) => ({ text, dynamic: false, glob: false });

describe('sed scripts', () => {
  it('finds the e command, the e flag and w files, and nothing in ordinary scripts', () => {
    expect(sedEffects('1e rm -rf ~').execs).toEqual(['rm -rf ~']);
    expect(sedEffects('s/.*/git reset --hard/e').execs).toEqual(['git reset --hard']);
    expect(sedEffects('/KEY/w out.txt').writes).toEqual(['out.txt']);
    expect(sedEffects('s/a/b/gw log.txt').writes).toEqual(['log.txt']);
    expect(sedEffects('s/error/e/;/^e /d;1i e header')).toEqual({ execs: [], writes: [] });
    expect(sedEffects('y/abc/xyz/;s|a\\|b|c|g')).toEqual({ execs: [], writes: [] });
  });
  it('takes -e/--expression values, or else the first operand, as the script', () => {
    expect(sedScripts(['-n', '-e', 'p', '--expression=1d', 'f'])).toEqual({ scripts: ['p', '1d'], files: ['f'] });
    expect(sedScripts(['-i.bak', 's/a/b/', 'f'])).toEqual({ scripts: ['s/a/b/'], files: ['f'] });
    expect(sedScripts(['-f', 'x.sed', 'f']).scripts).toEqual([]);
  });
});

describe('editor commands', () => {
  it('reads vim -c, +cmd and ex stdin, and the shell lines they run', () => {
    const run = editorRun('vim', ['-c', 'silent !git clean -fdx', '+call system("rm -rf x")', '+42', 'f'], undefined, false)!;
    expect(editorShellLines(run)).toEqual(['git clean -fdx', 'rm -rf x']);
    expect(editorWrites(run)).toBe(false);
    const ex = editorRun('ex', ['-s', 'f'], '%s/a/b/g|x\n', true)!;
    expect(editorWrites(ex)).toBe(true);
    expect(editorShellLines(editorRun('nvim', ['-c', 'exe "!rm -rf y"'], undefined, false)!)).toEqual(['rm -rf y']);
  });
  it('skips ed text blocks and finds w and ! commands', () => {
    const run = editorRun('ed', ['-s', 'f'], '$a\n!not a command\n.\nw\nq', false)!;
    expect(editorShellLines(run)).toEqual([]);
    expect(editorWrites(run)).toBe(true);
    expect(editorWrites(editorRun('ed', ['-s', 'f'], ',p\nq', false)!)).toBe(false);
    expect(editorWrites(editorRun('ed', ['f'], undefined, true)!)).toBe(true);
  });
});

describe('script escapes', () => {
  it('quotes words but keeps a leading ~ for the home directory', () => {
    expect(shellWord('~')).toBe('~');
    expect(shellWord('~/a b')).toBe("~/'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
  it('reads expect spawn and exec, also in blocks', () => {
    expect(expectLines('spawn -noecho sh -c "rm -rf ~"; expect eof')).toEqual(["sh -c 'rm -rf ~'"]);
    expect(expectLines('if {1} { exec git push --force }')).toEqual(['git push --force']);
    expect(expectLines('send "rm -rf ~\\r"')).toEqual([]);
  });
  it('reads Emacs Lisp calls, leaving strings that are only printed', () => {
    expect(elispLines('(progn (message "rm -rf ~") (shell-command "ls"))')).toEqual(['ls']);
    expect(elispLines('(call-process "git" nil nil nil "reset" "--hard")')).toEqual(['git reset --hard']);
    expect(elispLines('(delete-directory "~/x" t) (delete-directory "d")')).toEqual(['rm -rf ~/x', 'rmdir d']);
    expect(elispLines('(constructor "x") (toString "y")')).toEqual([]);
  });
  it('reads makefile recipes and $(shell), expanding its variables (an undefined one is empty)', () => {
    expect(makefileLines('OUT = build\nall:\n\t@$(RM) -r $(OUT)/$(NONE)\nclean: ; rm -rf x\n')).toEqual(['rm -f -r build/', 'rm -rf x']);
    expect(makefileLines('V := $(shell git push -f)\n$(info x)')).toEqual(['git push -f']);
  });
  it('reads database clients and shx', () => {
    const call = (args: string[], stdin?: string) => ({ args, stdin, stdinRedirected: stdin !== undefined, readWritten: () => undefined });
    expect(toolEscapes('sqlite3', call(['db', ".once '|sort > x'", 'select 1']))?.lines).toEqual(['sort > x']);
    expect(toolEscapes('sqlite3', call(['db'], '.tables\n.system ls\n'))?.lines).toEqual(['ls']);
    expect(toolEscapes('psql', call(['-c', 'select 1'], '\\! rm x'))).toBeNull();
    expect(toolEscapes('mysql', call(['-e', 'select 1; system ls']))?.lines).toEqual(['ls']);
    expect(toolEscapes('shx', call(['--silent', 'rm', '-rf', 'x']))?.argvs).toEqual([['rm', '-rf', 'x']]);
  });
});

describe('tool arguments and disks', () => {
  it('reads clusters and glued values the way getopt does', () => {
    const { options, operands } = parseArgs(['-fsSLo.env', '--output=x', '-o', 'y', 'url'].map(lit), { short: 'o', long: ['output'] });
    expect(options.filter((o) => o.value).map((o) => [o.name, o.value?.text])).toEqual([['o', '.env'], ['output', 'x'], ['o', 'y']]);
    expect(operands.map((o) => o.text)).toEqual(['url']);
  });
  it('knows disk paths beyond the short names, and not /dev/shm or /dev/fd', () => {
    for (const p of ['/dev/disk/by-id/ata-X', '/dev/vg0/lv', '/dev/nbd3', '/dev/md/data', '/dev/nvme0']) expect(isMoreDiskDevice(p)).toBe(true);
    for (const p of ['/dev/shm/x', '/dev/fd/3', '/dev/pts/1', '/dev/tcp/host/80', '/dev/null']) expect(isMoreDiskDevice(p)).toBe(false);
  });
  it('honours dry runs only where -n means one', () => {
    const dry = (name: string, args: string) => isDiskDryRun(name, args.split(' ').map(lit));
    expect(dry('mke2fs', '-n /dev/sdb')).toBe(true);
    expect(dry('mke2fs', '-L n /dev/sdb')).toBe(false);
    expect(dry('mkfs.vfat', '-n USB /dev/sdb')).toBe(false);
    expect(dry('mkfs.btrfs', '-n 32k /dev/sdb')).toBe(false);
    expect(dry('wipefs', '--no-act -a /dev/sdb')).toBe(true);
    expect(dry('sgdisk', '-P -Z /dev/sdb')).toBe(true);
  });
});

describe('tool tables and programs named like Object properties', () => {
  it('finds nothing for them (no prototype lookups)', async () => {
    const { command, engineFrom } = await import('./policy-helpers.js');
    const engine = engineFrom('standard');
    for (const line of ['constructor', 'toString x', '__proto__ y', 'hasOwnProperty']) expect(command(engine, line).verdict).toBe('allow');
  });
});
