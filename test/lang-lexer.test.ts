import { describe, expect, it } from 'vitest';
import { mask } from '../src/shell/lang/lexer.js';
import { LEX } from '../src/shell/lang/specs.js';
import { codeSource, decodeUtf16Base64 } from '../src/shell/lang/source.js';
import { analyzeCode } from '../src/shell/languages.js';

const ctx = { home: '/home/dev', cwd: '/home/dev/project' };

// The mask keeps every offset: calls are found in it and their arguments read from the original at the same place.
describe('lexical pass', () => {
  it('blanks string text and comments, keeps length, quotes and newlines', () => {
    const code = "print('shutil.rmtree(\"/\")')  # os.system('x')\nos.getcwd()";
    const m = mask(code, LEX.python);
    expect(m.length).toBe(code.length);
    expect(m).not.toContain('rmtree');
    expect(m).not.toContain('system');
    expect(m).toContain("print('");
    expect(m.split('\n')[1]).toBe('os.getcwd()');
  });

  it('keeps code in f-string, template and interpolation placeholders', () => {
    expect(mask("f'x {os.system(c)} y'", LEX.python)).toContain('os.system(c)');
    expect(mask("f'{{os.system}}'", LEX.python)).not.toContain('system');
    expect(mask('`a ${execSync(c)} b`', LEX.node)).toContain('execSync(c)');
    expect(mask('"#{system(c)}"', LEX.ruby)).toContain('system(c)');
  });

  it('keeps command strings and blanks quote-like data', () => {
    expect(mask('qx(rm -rf x); q{unlink x}', LEX.perl)).toBe('qx(rm -rf x); q{        }');
    expect(mask('%x(rm x) + %q(rm x)', LEX.ruby)).toBe('%x(rm x) + %q(    )');
    expect(mask('/* rmSync */ a // rmSync', LEX.node).trim()).toBe('a');
    expect(mask('x = [[os.remove]] -- os.execute', LEX.lua).trim()).toBe('x = [[         ]]');
  });

  it('reads the same API as data when printed and as a call when called', () => {
    expect(analyzeCode('python', "print('shutil.rmtree(\"/\")')", ctx).deletes).toEqual([]);
    expect(analyzeCode('python', "import shutil; shutil.rmtree('/')", ctx).deletes).toEqual([{ path: '/', recursive: true, api: 'rmtree' }]);
    expect(analyzeCode('python', "c = 'rm -rf ~'; import os; os.system(c)", ctx).shellLines).toEqual(['rm -rf ~']);
    expect(analyzeCode('node', "const {rmSync: r} = require('fs'); r('/x', {recursive: true})", ctx).deletes[0]).toMatchObject({ path: '/x', recursive: true });
  });
});

describe('code sources', () => {
  it('decodes PowerShell -EncodedCommand (base64 of UTF-16LE)', () => {
    expect(decodeUtf16Base64('ZQBjAGgAbwAgAGgAaQA=')).toBe('echo hi');
    expect(decodeUtf16Base64('not base64!')).toBeUndefined();
    expect(codeSource('pwsh', 'powershell', ['-NoProfile', '-EncodedCommand', 'ZQBjAGgAbwAgAGgAaQA='])).toMatchObject({ code: 'echo hi' });
  });

  it('takes awk -v values and deno run of a URL', () => {
    expect(codeSource('awk', 'awk', ['-v', 'd=/x', 'BEGIN{}']).vars?.get('d')).toBe('/x');
    expect(codeSource('deno', 'node', ['run', '-A', 'https://x.io/m.ts'])).toMatchObject({ remote: true });
    expect(codeSource('deno', 'node', ['run', 'main.ts'])).toMatchObject({ remote: false });
  });
});
