import { describe, expect, it } from 'vitest';
import { decodeEnvFields, escapeField, parseLineEnv } from '../src/adapters/line-env.js';
import { decodeRequest, encodeRequest } from '../src/adapters/checker-protocol.js';
import { interpret, parse } from '../src/shell/index.js';
import { sliceList, substring, trimPattern } from '../src/shell/param-ops.js';

const CTX = { cwd: '/home/dev/project', home: '/home/dev', projectDir: '/home/dev/project' };

/** The argv of each command a line runs, dynamic words shown as `<?>`. */
function run(line: string, env?: Record<string, string>): string[] {
  const parsed = parse(line);
  if (!parsed.ok) throw new Error(`parse failed: ${parsed.error}`);
  return interpret(parsed.script, { ...CTX, env }).commands
    .filter((c) => c.argv.length)
    .map((c) => c.argv.map((f) => (f.dynamic ? `${f.text}<?>` : f.text)).join(' '));
}

const last = (line: string, env?: Record<string, string>) => run(line, env).at(-1);

describe('values: the environment is the command\'s own', () => {
  it.each([
    ['rm -rf "$HOME/$UNSET"', 'rm -rf /home/dev/'],
    ['rm -rf "${X:+a}b"', 'rm -rf b'],
    ['rm -rf "$RANDOM/x"', 'rm -rf /x<?>'],
    ['d=$(tool); rm -rf "$d"/', 'rm -rf /<?>'],
    ['source ./env.sh; rm -rf "$D"', 'rm -rf <?>'],
    ['export $(cat .env | xargs); rm -rf "$D"', 'rm -rf <?>'],
    ['for ((i=0; i<2; i++)); do echo "$i"; done', 'echo <?>'],
  ])('%s', (line, expected) => expect(last(line)).toBe(expected));

  it('takes the variables it is given', () => {
    expect(last('rm -rf "$HOME/$D"', { D: 'dist' })).toBe('rm -rf /home/dev/dist');
  });
});

describe('values: parameter operators', () => {
  it.each([
    ['p=/a/b/a; echo "${p//a/x}" "${p/a/x}" "${p/#\\/a/y}" "${p/%a/z}"', 'echo /x/b/x /x/b/a y/b/a /a/b/z'],
    ['p=ab.tar.gz; echo "${p//.*/}" "${p/*./}"', 'echo ab gz'],
    ['s=abcdef; echo "${s:2}" "${s:1:3}" "${s: -2}" "${s:0:-2}" "${#s}"', 'echo cdef bcd ef abcd 6'],
    ['n=2; s=abcdef; echo "${s:n:n}"', 'echo cd'],
    ['v=aBc; echo "${v^^}" "${v,,}" "${v^}" "${v,}"', 'echo ABC abc ABc aBc'],
    ['v=x; echo "${v^^[a]}"', 'echo <?>'],
  ])('%s', (line, expected) => expect(last(line)).toBe(expected));

  it('trims, cuts and slices without regular expressions', () => {
    expect(trimPattern('/x/y/z', '/*', '%')).toBe('/x/y');
    expect(substring('abc', -5)).toBe('abc');
    expect(sliceList(['a', 'b', 'c'], 1, -1)).toEqual(['b']);
  });
});

describe('values: arrays, positionals and builtins that set variables', () => {
  it.each([
    ['a=("x y" z); rm -rf "${a[0]}"', 'rm -rf x y'],
    ['a=(x "y z"); rm "${a[@]}"', 'rm x y z'],
    ['a=(x y z); echo "${a[-1]}" "${#a[@]}" "$a"', 'echo z 3 x'],
    ['a=(x); a+=(y); a[2]=w; echo "${a[@]:1}"', 'echo y w'],
    ['set -- a b c; shift 2; echo "$1" "$#"', 'echo c 1'],
    ['set -- a b c; echo "${@:2}"', 'echo b c'],
    ['printf -v d "%s/%s" a b; echo "$d"', 'echo a/b'],
    ['mapfile -t m <<< "$(printf "a\\nb")"; echo "${m[1]}"', 'echo b'],
    ['mapfile m <<< x; echo "${m[0]}"', 'echo x\n'],
  ])('%s', (line, expected) => expect(last(line)).toBe(expected));

  it('runs a read loop once per line of its feed', () => {
    expect(run('printf "a\\nb\\n" | while read -r d; do rm -rf "$d"; done').filter((c) => c.startsWith('rm'))).toEqual(['rm -rf a', 'rm -rf b']);
  });
});

describe('values: known output', () => {
  it.each([
    ['rm -rf "$(realpath ../x/..)"', 'rm -rf /home/dev'],
    ['rm -rf "$(readlink -f src/..)"', 'rm -rf /home/dev/project'],
    ['cd src && rm -rf "$(git rev-parse --git-dir)"', 'rm -rf /home/dev/project/.git'],
    ['echo ~ > /tmp/t; rm -rf "$(< /tmp/t)"', 'rm -rf /home/dev'],
    ['echo ~ > /tmp/t; rm -rf "$(cat /tmp/t)"', 'rm -rf /home/dev'],
    ['echo ~ > /tmp/t; tool > /tmp/t; rm -rf "$(cat /tmp/t)"', 'rm -rf <?>'],
    ['rm -rf "$(readlink x)"', 'rm -rf <?>'],
  ])('%s', (line, expected) => expect(last(line)).toBe(expected));
});

describe('the variables a shell guard sends', () => {
  it('are escaped NAME=value fields after the command', () => {
    const line = encodeRequest('t', { flags: 'bash', cwd: '/p', command: 'rm -rf "$D"', env: { D: 'a\nb\\c\x1fd' } });
    expect(decodeRequest(line.slice(2))).toEqual({ flags: 'bash', cwd: '/p', command: 'rm -rf "$D"', env: { D: 'a\nb\\c\x1fd' } });
    expect(decodeRequest(['bash', '/p', 'ls', 'not an assignment'].join('\x1f'))).toBeUndefined();
    expect(decodeEnvFields([escapeField('X=1=2')])).toEqual({ X: '1=2' });
    expect(parseLineEnv(`A=1\x1fB=${escapeField('x\ny')}`)).toEqual({ A: '1', B: 'x\ny' });
    expect(parseLineEnv('bad')).toEqual({});
  });
});
