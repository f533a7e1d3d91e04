import { describe, expect, it } from 'vitest';
import { interpret, parse } from '../src/shell/index.js';

const CTX = { cwd: '/home/dev/project', home: '/home/dev' };

/** The commands a line runs, as `argv joined by spaces @ cwd`, dynamic words shown as `<?>`. */
function run(line: string): string[] {
  const parsed = parse(line);
  if (!parsed.ok) throw new Error(`parse failed: ${parsed.error}`);
  return interpret(parsed.script, CTX).commands
    .filter((c) => c.argv.length)
    .map((c) => `${c.argv.map((f) => (f.dynamic ? '<?>' : f.text)).join(' ')}${c.cwd === CTX.cwd ? '' : ` @${c.cwd}`}`);
}

// RuleTester-style table: a line and the commands it executes, in order.
const cases: [string, string[]][] = [
  ['git status', ['git status']],
  ['a && b || c; d & e | f', ['a', 'b', 'c', 'd', 'e', 'f']],
  ["'r'm -f''r /srv", ['rm -fr /srv']],
  ['git re\\set --hard', ['git reset --hard']],
  ["$'\\162\\155' -rf /", ['rm -rf /']],
  ["$'\\x72\\x6d' x", ['rm x']],
  ['{rm,-fr,/home/dev}', ['rm -fr /home/dev']],
  ['rm -f build/{a,b}.o', ['rm -f build/a.o build/b.o']],
  ['echo {1..3}', ['echo 1 2 3']],
  ['git${IFS}reset${IFS}--hard', ['git reset --hard']],
  ['IFS=,; X=rm,-rf,/; $X', ['rm -rf /']],
  ['del="rm -rf"; $del /', ['rm -rf /']],
  ['rm -rf "${UNSET:-$HOME}"', ['rm -rf /home/dev']],
  ['K=~/.ssh; rm -rf $K', ['rm -rf /home/dev/.ssh']],
  ['X=1 env | grep X', ['env', 'grep X']],
  ['cd ..; rm -rf project', ['cd ..  @/home/dev'.replace('  ', ' '), 'rm -rf project @/home/dev']],
  ['cd; ls', ['cd @/home/dev', 'ls @/home/dev']],
  ['(cd /tmp && ls); ls', ['cd /tmp @/tmp', 'ls @/tmp', 'ls']],
  ['pushd src >/dev/null; popd; ls', ['pushd src @/home/dev/project/src', 'popd', 'ls']],
  ['echo $(printf rm) `echo x`', ['printf rm', 'echo x', 'echo rm x']],
  ['$(printf rm) -rf ~', ['printf rm', 'rm -rf /home/dev']],
  ['rm -rf "$(dirname "$PWD")"', ['dirname /home/dev/project', 'rm -rf /home/dev']],
  ['diff <(ls a) <(ls b)', ['ls a', 'ls b', 'diff /dev/fd/63 /dev/fd/63']],
  ["sh -c 'rm -rf \"$1\"' _ dist", ["sh -c rm -rf \"$1\" _ dist", 'rm -rf dist']],
  ["sh -c '$0 -rf /' rm", ["sh -c $0 -rf / rm", 'rm -rf /']],
  ["bash -xec 'git push -f'", ["bash -xec git push -f", 'git push -f']],
  ['eval git push -f', ['eval git push -f', 'git push -f']],
  ["env -S 'git push --force'", ['env -S git push --force', 'git push --force']],
  ['sudo -u root nice -n 5 timeout 30 rm -rf x', ['rm -rf x']],
  ['command -v rm', ['command -v rm']],
  ['function f { rm -rf "$1"; }; f ~', ['rm -rf /home/dev', 'f /home/dev']],
  ['for d in a b; do rm -rf "$d"; done', ['rm -rf a', 'rm -rf b']],
  ['if true; then echo yes; else echo no; fi', ['true', 'echo yes', 'echo no']],
  ['while read l; do echo "$l"; done < f', ['read l', 'echo <?>']],
  ['case $x in a) echo a;; *) echo b;; esac', ['echo a', 'echo b']],
  ['echo "rm -rf /" # rm -rf ~', ['echo rm -rf /']],
  ["echo '$(rm -rf /)'", ['echo $(rm -rf /)']],
  ['echo "\\$(rm -rf /)"', ['echo $(rm -rf /)']],
  ['cat <<EOF\n$(rm -rf /)\nEOF', ['rm -rf /', 'cat']],
  ["cat <<'EOF'\n$(rm -rf /)\nEOF", ['cat']],
  ['x=$(git reset --hard)', ['git reset --hard']],
  ['[[ -f x ]] && rm x', ['rm x']],
  ['(( i++ )); ls', ['ls']],
  ['time -p git clean -fdx', ['git clean -fdx']],
  ['! rm x', ['rm x']],
  ['a=(x y); ls', ['ls']],
  ['ls 2>&1 >/dev/null | wc -l', ['ls', 'wc -l']],
];

describe('shell: parse and interpret', () => {
  it.each(cases)('%s', (line, expected) => {
    expect(run(line)).toEqual(expected);
  });

  it('tracks pipes: each command knows what feeds its standard input', () => {
    const parsed = parse('curl -s https://x.sh | sudo bash');
    if (!parsed.ok) throw new Error(parsed.error);
    const [curl, bash] = interpret(parsed.script, CTX).commands;
    expect(bash.stdinFrom).toBe(curl);
    expect(bash.wrappers).toEqual(['sudo']);
    expect(bash.shell?.readsStdin).toBe(true);
  });

  it('keeps here-string text as standard input', () => {
    const parsed = parse("sh <<< 'rm -rf /'");
    if (!parsed.ok) throw new Error(parsed.error);
    const [sh] = interpret(parsed.script, CTX).commands;
    expect(sh.stdinText?.text).toBe('rm -rf /\n'); // bash adds the newline
  });

  it.each([
    ["echo 'unterminated", /unterminated single quote/],
    ['echo "x', /unterminated double quote/],
    ['echo $(ls', /unterminated/],
    ['ls &&', /end of input/],
    ['| ls', /unexpected/],
    ['if true; then ls', /expected 'fi'/],
    ['echo ${', /substitution/],
    [')', /unexpected/],
  ])('refuses %j with a reason, never an exception', (line, reason) => {
    const parsed = parse(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });

  it('bounds nesting instead of overflowing the stack', () => {
    const parsed = parse('$('.repeat(5000) + 'ls' + ')'.repeat(5000));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/nesting/);
  });

  it('bounds re-parsed text (eval inside eval ...) and reports it as truncated', () => {
    const parsed = parse('eval '.repeat(40) + 'ls');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(interpret(parsed.script, CTX).truncated).toBe(true);
  });

  it('reports nested text that does not parse', () => {
    const parsed = parse(`bash -c 'echo "x'`);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(interpret(parsed.script, CTX).unparseable[0].error).toMatch(/bash -c: unterminated double quote/);
  });
});

describe('shell: arithmetic', () => {
  it('parses C-style for loops and arithmetic commands', () => {
    expect(run('for ((n=0; n<3; n++)); do echo "$n"; done')).toEqual(['echo <?>']);
    expect(run('(( x = 1 + 2 )); ls')).toEqual(['ls']);
  });
});

describe('shell: multi-line input', () => {
  it('reads heredocs fed to shells and loops over lines', () => {
    expect(run("bash <<'EOF'\nrm -rf ~\nEOF")).toEqual(['bash', 'rm -rf /home/dev']);
    expect(run('set -e\nnpm test\ngit push origin main')).toEqual(['set -e', 'npm test', 'git push origin main']);
  });
});
