import { describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import type { FileOperation } from '../src/engine/types.js';
import { normalizeHost, parseIPv4 } from '../src/engine/hosts.js';
import { command, engineFrom, entries, HOME, policyFrom, PROJECT } from './policy-helpers.js';

const file = (engine: Engine, operation: FileOperation, path: string) => engine.decide({ type: 'file', operation, path, home: HOME });
const net = (engine: Engine, host: string) => engine.decide({ type: 'network', host });

describe('file operations (standard preset)', () => {
  const engine = engineFrom('standard');
  it.each([
    ['delete', `${PROJECT}/.env`, 'deny', 'fs/protected-path'],
    ['write', `${PROJECT}/.env.local`, 'deny', 'fs/protected-path'],
    ['write', `${PROJECT}/config/.env`, 'deny', 'fs/protected-path'], // a bare name matches at any depth
    ['write', `${PROJECT}/a/b/c/.env.production`, 'deny', 'fs/protected-path'],
    ['delete', `${PROJECT}/.git`, 'deny', 'fs/protected-path'],
    ['delete', `${PROJECT}/.git/config`, 'deny', 'fs/protected-path'], // dotfiles match (dot: true)
    ['write', `${HOME}/.ssh/authorized_keys`, 'deny', 'fs/protected-path'],
    ['write', `${PROJECT}/src/../.env`, 'deny', 'fs/protected-path'], // .. is resolved
    ['delete', `${PROJECT}/.agentfirewall/config.yaml`, 'deny', 'fs/self-protect'],
    ['create', `${PROJECT}/.agentfirewall/rules/99-off.yaml`, 'deny', 'fs/self-protect'],
    ['chmod', `${PROJECT}/.agentfirewall`, 'deny', 'fs/self-protect'],
    ['write', `${PROJECT}/src/index.ts`, 'allow', 'default/allow'],
    ['delete', `${PROJECT}/dist/app.js`, 'allow', 'default/allow'],
    ['chmod', `${PROJECT}/.env`, 'deny', 'secrets/env-file'], // not in standard's deny_operations, but it may open the secret up
    ['create', `${PROJECT}/.env.local`, 'deny', 'secrets/env-file'], // creating a secrets file changes it as much as writing it
    ['create', `${HOME}/.ssh/authorized_keys`, 'deny', 'secrets/ssh-dir'],
    ['create', `${HOME}/.zshrc`, 'deny', 'tamper/rc-files'],
    ['create', `${PROJECT}/src/new.ts`, 'allow', 'default/allow'],
    ['create', `${PROJECT}/.environment`, 'allow', 'default/allow'],
    ['read' as FileOperation, `${PROJECT}/.env`, 'allow', 'default/allow'],
    ['write', `${PROJECT}/envelope.json`, 'allow', 'default/allow'],
    ['write', `${PROJECT}/.environment`, 'allow', 'default/allow'],
    ['write', '/tmp/out.txt', 'allow', 'default/allow'], // standard allows escape
  ] as const)('%s %s -> %s (%s)', (op, path, verdict, rule) => {
    const d = file(engine, op, path);
    expect([d.verdict, d.rule]).toEqual([verdict, rule]);
  });

  it('strict denies leaving the sandbox and every operation on protected paths', () => {
    const strict = engineFrom('strict');
    expect(file(strict, 'write', '/tmp/out.txt')).toMatchObject({ verdict: 'deny', rule: 'fs/sandbox-escape' });
    expect(file(strict, 'chmod', `${PROJECT}/.env`)).toMatchObject({ verdict: 'deny', rule: 'fs/protected-path' });
    expect(file(strict, 'write', `${PROJECT}/src/a.ts`)).toMatchObject({ verdict: 'allow' });
  });

  it('path rules apply to their operations only', () => {
    const e = engineFrom('standard', { rules: entries([{ id: 'team/lockfile', path: ['package-lock.json'], operations: ['delete'], action: 'warn', reason: 'regenerate it instead' }]) });
    expect(file(e, 'delete', `${PROJECT}/package-lock.json`)).toMatchObject({ verdict: 'warn', rule: 'team/lockfile' });
    expect(file(e, 'write', `${PROJECT}/package-lock.json`)).toMatchObject({ verdict: 'allow' });
  });

  it('an engine without a glob matcher refuses file events loudly', () => {
    const bare = new Engine(policyFrom('standard').policy);
    expect(command(bare, 'git status').verdict).toBe('allow'); // commands need no globs
    expect(() => file(bare, 'delete', `${PROJECT}/.env`)).toThrow(/glob/);
  });
});

describe('network', () => {
  const engine = engineFrom('standard');
  it.each([
    ['169.254.169.254', 'deny'],
    ['http://169.254.169.254/latest/meta-data', 'deny'],
    ['2852039166', 'deny'], // the same address as one number
    ['0xA9FEA9FE', 'deny'],
    ['0251.0376.0251.0376', 'deny'],
    ['METADATA.google.internal.', 'deny'],
    ['[fd00:ec2::254]', 'deny'],
    ['github.com', 'allow'],
    ['registry.npmjs.org:443', 'allow'],
  ])('%s -> %s', (host, verdict) => {
    expect(net(engine, host).verdict).toBe(verdict);
  });

  it('allowed_hosts: only listed hosts, wildcards for subdomains, deny list still wins', () => {
    const e = engineFrom('standard', { network: { allowed_hosts: ['github.com', '*.example.com', '10.0.0.0/8', '169.254.169.254'] } });
    expect(net(e, 'github.com').verdict).toBe('allow');
    expect(net(e, 'api.example.com').verdict).toBe('allow');
    expect(net(e, 'example.com')).toMatchObject({ verdict: 'deny', rule: 'net/not-allowed' });
    expect(net(e, 'evil.com')).toMatchObject({ verdict: 'deny', rule: 'net/not-allowed' });
    expect(net(e, '10.1.2.3').verdict).toBe('allow');
    expect(net(e, '169.254.169.254')).toMatchObject({ verdict: 'deny', rule: 'net/deny-egress' });
  });

  it('normalises hosts and IPv4 forms', () => {
    expect(normalizeHost('https://user@Example.COM.:8443/x')).toBe('example.com');
    expect(parseIPv4('127.1')).toBe('127.0.0.1');
    expect(parseIPv4('999.1.1.1')).toBeNull();
  });
});

describe('modes and overrides', () => {
  it('audit mode turns deny into warn with an [AUDIT] prefix', () => {
    const e = engineFrom('permissive');
    const d = command(e, 'git push --force');
    expect(d).toMatchObject({ verdict: 'warn', rule: 'git/push-force' });
    expect(d.reason).toMatch(/^\[AUDIT\] /);
  });

  it('off mode allows everything with rule mode/off', () => {
    const e = engineFrom('standard', { mode: 'off' });
    expect(command(e, 'rm -rf /')).toMatchObject({ verdict: 'allow', rule: 'mode/off' });
    expect(net(e, '169.254.169.254')).toMatchObject({ verdict: 'allow', rule: 'mode/off' });
  });

  it('a rule switched to warn warns, switched off is silent', () => {
    const e = engineFrom('standard', { rules: entries([{ id: 'git/push-force', action: 'warn' }, { id: 'git/reset-hard', action: 'off' }]) });
    expect(command(e, 'git push -f')).toMatchObject({ verdict: 'warn', rule: 'git/push-force' });
    expect(command(e, 'git reset --hard')).toMatchObject({ verdict: 'allow' });
  });

  it('deny beats warn, and every match is reported', () => {
    const e = engineFrom('standard', { rules: entries([{ id: 'git/push-force', action: 'warn' }]) });
    const d = command(e, 'git push -f && rm -rf /');
    expect(d).toMatchObject({ verdict: 'deny', rule: 'fs/rm-root' });
    expect(d.matches.map((m) => m.rule)).toEqual(['fs/rm-root', 'git/push-force']);
  });

  it('.agentfirewall/ stays protected when protected_paths forgets it, unless fs/self-protect is switched off', () => {
    const forgot = { filesystem: { protected_paths: ['.env'] } };
    expect(file(engineFrom('standard', forgot), 'write', `${PROJECT}/.agentfirewall/notes.txt`)).toMatchObject({ verdict: 'deny', rule: 'fs/self-protect' });
    const off = engineFrom('standard', { ...forgot, rules: entries([{ id: 'fs/self-protect', action: 'off' }]) });
    expect(file(off, 'write', `${PROJECT}/.agentfirewall/notes.txt`).verdict).toBe('allow');
  });
});

describe('blocklist and allowlist', () => {
  it('blocklist patterns match commands word by word, never substrings', () => {
    const e = engineFrom('standard', { commands: { blocklist: ['npm publish', 'docker * --privileged', 'sudo rm*'] } });
    expect(command(e, 'npm publish --access public')).toMatchObject({ verdict: 'deny', rule: 'commands/blocklist' });
    expect(command(e, 'docker run --rm --privileged alpine')).toMatchObject({ verdict: 'deny' });
    expect(command(e, 'sudo rm -f x')).toMatchObject({ verdict: 'deny' });
    expect(command(e, 'npm run publish-docs').verdict).toBe('allow');
    expect(command(e, 'echo npm publish').verdict).toBe('allow');
  });

  it('a non-empty allowlist allows only matching commands, in every part of a line', () => {
    const e = engineFrom('standard', { commands: { allowlist: ['npm test', 'npm run *', 'git status', 'ls'] } });
    expect(command(e, 'npm test').verdict).toBe('allow');
    expect(command(e, 'npm run build && ls').verdict).toBe('allow');
    expect(command(e, 'npm test && curl x')).toMatchObject({ verdict: 'deny', rule: 'commands/allowlist' });
    expect(command(e, 'ls $(whoami)')).toMatchObject({ verdict: 'deny', rule: 'commands/allowlist' });
    expect(command(e, "agentfirewall check 'x'").verdict).toBe('allow'); // the tool itself always works
  });
});
