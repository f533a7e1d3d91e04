import { describe, expect, it } from 'vitest';
import { interpret, parse } from '../src/shell/index.js';

const CTX = { cwd: '/home/dev/project', home: '/home/dev' };

function run(line: string): string[] {
  const parsed = parse(line);
  if (!parsed.ok) throw new Error(`parse failed: ${parsed.error}`);
  return interpret(parsed.script, CTX).commands.filter((c) => c.argv.length).map((c) => c.argv.map((f) => (f.dynamic ? '<?>' : f.text)).join(' '));
}

describe('parser coverage', () => {
  it.each([
    ['coproc { rm -rf x; }', ['rm -rf x']],
    ['coproc NAME { rm -rf x; }', ['rm -rf x']],
    ['coproc W (rm x)', ['rm x']],
    ['coproc rm -rf x', ['rm -rf x']],
    ['[[ $x =~ (a|b)$ ]] && rm y', ['rm y']],
    ['[[ $x =~ ^(-y|--yes)$ && -n $z ]] && rm y', ['rm y']],
    ['[[ $x =~ $(rm z) ]]', ['rm z']],
    ['function f ( rm x ); f', ['rm x', 'f']],
    ['f() ( rm x ); f', ['rm x', 'f']],
    ["alias d='rm -rf'; d ~", ['alias d=rm -rf', 'd /home/dev', 'rm -rf /home/dev']],
    ['hash -p /bin/rm x; x -f y', ['hash -p /bin/rm x', '/bin/rm -f y']],
  ])('%s', (line, commands) => {
    expect(run(line)).toEqual(commands);
  });
  it('reads keyed array elements, and runs the substitutions inside them', () => {
    expect(run('declare -A m=([k]=v [k2]="v 2" [s]=$(rm z))')).toContain('rm z');
    expect(run('declare -A m=([d]=~ [o]=dist); rm -rf "${m[d]}" "${m[o]}"')).toEqual(['declare -A m=([d]=~ [o]=dist)', 'rm -rf /home/dev dist']);
  });
  it('keeps coproc as a background command', () => {
    const parsed = parse('coproc cd /; rm x');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(interpret(parsed.script, CTX).commands.find((c) => c.argv[0]?.text === 'rm')?.cwd).toBe(CTX.cwd);
  });
});
