import { describe, expect, it } from 'vitest';
import { hostPathOf, planInnerCommand, planRunner } from '../src/shell/runner-model.js';

const cwd = '/home/dev/project';
const words = (args: string[], plan: ReturnType<typeof planRunner>) => plan?.argv?.map((w) => (typeof w === 'number' ? args[w] : w));

describe('runner model', () => {
  it('finds the command after the runner’s own options, a subcommand or --', () => {
    const cases: [string, string[], string[]][] = [
      ['uv', ['--quiet', 'run', '--with', 'x', '--', 'rm', '-rf', 'a'], ['rm', '-rf', 'a']],
      ['conda', ['run', '-n', 'base', 'make'], ['make']],
      ['mise', ['x', 'node@20', '--', 'node', '-v'], ['node', '-v']],
      ['hatch', ['run', 'test:pytest', '-x'], ['pytest', '-x']],
      ['strace', ['-f', '-o', 'trace.txt', '-e', 'trace=file', 'make'], ['make']],
      ['faketime', ['-f', '+2d', 'date'], ['date']],
      ['deno', ['run', '-A', 'npm:@scope/tool@1', 'x'], ['tool', 'x']],
    ];
    for (const [program, args, expected] of cases) expect(words(args, planRunner(program, args, cwd)), program).toEqual(expected);
  });

  it('reads shell text options and typed keys', () => {
    const nix = ['-p', 'jq', '--run', 'jq . x'];
    expect(planRunner('nix-shell', nix, cwd)?.lines).toEqual([3]);
    const keys = planRunner('tmux', ['send-keys', '-t', 'w', 'git status', 'Enter', 'rm -rf x', 'C-c', 'ls'], cwd);
    expect(keys?.lines).toEqual(['git status']);
    expect(planRunner('tmux', ['send-keys', '-t', 'w', 'C-c'], cwd)).toBeNull();
  });

  it('maps container paths through mounts: deepest wins, read-only and volumes are not the host’s', () => {
    const plan = planRunner('docker', ['run', '-v', '/home/dev:/h', '-v', '/srv/x:/h/x:ro', '--mount', 'type=volume,src=v,dst=/v', 'img'], cwd)!;
    const mounts = plan.hop.mounts!;
    expect(hostPathOf('/h/a', mounts)).toBe('/home/dev/a');
    expect(hostPathOf('/h/x/a', mounts)).toBeNull();
    expect(hostPathOf('/v/a', mounts)).toBeNull();
    expect(hostPathOf('/etc', mounts)).toBeNull();
    expect(hostPathOf('/etc', [{ inside: '/', host: '/srv/jail', readOnly: false }])).toBe('/srv/jail/etc');
  });

  it('the generic fallback leaves data programs alone', () => {
    expect(planInnerCommand('grep', ['-e', 'rm -rf /', 'f'])).toBeNull();
    expect(planInnerCommand('echo', ['--', 'rm -rf /'])).toBeNull();
    expect(planInnerCommand('mytool', ['--exec=rm -rf x'])?.lines).toEqual(['rm -rf x']);
    expect(planInnerCommand('mytool', ['--', 'rm', '-rf', 'x'])?.argv).toEqual([1, 2, 3]);
  });
});
