import { describe, expect, it } from 'vitest';
import { command, engineFrom, entries, HOME, PROJECT } from './policy-helpers.js';

// A globbed target is judged by every protected path it can match, not left to the detectors alone.
describe('globbed targets against protected paths', () => {
  const engine = engineFrom('standard', {
    filesystem: { protected_paths: ['.agentfirewall/**', 'secrets/**', 'deploy/*.key', '~/.aws/**'], deny_operations: ['delete', 'write', 'move_outside_sandbox'] },
    rules: entries([{ id: 'team/lockfile', path: ['package-lock.json'], operations: ['delete'], action: 'deny' }]),
  });
  it.each([
    ['rm -rf secr*', 'fs/protected-path'],
    ['rm -rf secrets/*', 'fs/protected-path'],
    ['rm secrets/*.pem', 'fs/protected-path'],
    ['mv deploy/prod.* /tmp/', 'fs/protected-path'],
    ['cp /dev/null deploy/*', 'fs/protected-path'],
    ['rm -rf ~/.aw?', 'fs/protected-path'],
    ['rm -f ~/.aws/cred*', 'fs/protected-path'],
    ['rm package-*.json', 'team/lockfile'],
    ['rm -rf .agentfirewall/rules/*.yaml', 'fs/self-protect'],
    ['rm -f .agentfirewall/config.y?ml', 'fs/self-protect'],
    ['echo mode: off > .agentfirewall/c*', 'fs/self-protect'],
    ['sed -i s/enforce/off/ .agentfirewall/*.yaml', 'fs/self-protect'],
    ['rm -rf "$PWD"/.agent*', 'fs/self-protect'],
    ['find . -name "*.yaml" -delete', 'fs/self-protect'],
    ['find . -path "*/hooks/*" -delete', 'fs/self-protect'],
  ])('%s is denied by %s', (line, rule) => {
    const d = command(engine, line);
    expect(d.verdict).toBe('deny');
    expect(d.matches.map((m) => m.rule)).toContain(rule);
  });

  it.each(['rm -rf node_modules/*', 'rm build/*.o', 'rm -rf dist/* coverage/*', 'rm -f *.log', 'ls .agentfirewall/*', 'cat secrets/*', 'rm -rf secrets-old/*', 'rm deploy/*.txt', 'find . -name "*.o" -delete', 'rm -rf ~/.cache/*'])(
    '%s stays allowed',
    (line) => {
      expect(command(engine, line).verdict).toBe('allow');
    },
  );

  it('reports the glob as typed, once per rule', () => {
    const d = command(engine, 'rm -rf secrets/*');
    expect(d.matches.filter((m) => m.rule === 'fs/protected-path')).toEqual([expect.objectContaining({ subject: `${PROJECT}/secrets/*` })]);
  });

  it('a person at an interactive shell may still clean .agentfirewall/ with a glob', () => {
    const d = engine.decide({ type: 'command', command: 'rm -f .agentfirewall/hooks/*', cwd: PROJECT, home: HOME, interactive: true });
    expect(d.verdict).toBe('allow');
  });

  it('fs/self-protect switched to warn downgrades the glob too', () => {
    const warned = engineFrom('standard', { rules: entries([{ id: 'fs/self-protect', action: 'warn' }, { id: 'fs/protected-path', action: 'off' }]) });
    expect(command(warned, 'rm -rf .agentfirewall/hooks/*').verdict).toBe('warn');
  });
});
