import { describe, expect, it } from 'vitest';
import { howToAllow } from '../src/config/next-step.js';
import type { Engine } from '../src/engine/engine.js';
import type { FileOperation } from '../src/engine/types.js';
import { command, engineFrom, entries, HOME, PROJECT } from './policy-helpers.js';

const engine = engineFrom('standard');
const file = (e: Engine, operation: FileOperation, path: string) => e.decide({ type: 'file', operation, path, home: HOME });
const withFacts = (e: Engine, line: string, absent: string[]) => e.decide({ type: 'command', command: line, cwd: PROJECT, home: HOME, absent });

describe('a file event is judged by the rule that judges the same change made by a command', () => {
  // Each row: what a file tool or the watcher reports, and a command that makes the same change.
  it.each([
    ['create', `${PROJECT}/.env.local`, 'cat /tmp/x > .env.local', 'secrets/env-file'],
    ['create', `${PROJECT}/config/.env.production`, 'touch config/.env.production', 'secrets/env-file'],
    ['write', `${PROJECT}/.env`, 'echo A=1 >> .env', 'secrets/env-file'],
    ['delete', `${PROJECT}/.env.test`, 'rm .env.test', 'secrets/env-file'],
    ['chmod', `${PROJECT}/.env`, 'chmod 644 .env', 'secrets/env-file'],
    ['move_outside_sandbox', `${PROJECT}/.env`, 'mv .env /tmp/', 'secrets/env-file'],
    ['create', `${HOME}/.ssh/authorized_keys`, 'cp key.pub ~/.ssh/authorized_keys', 'secrets/ssh-dir'],
    ['create', `${HOME}/.ssh/id_rsa`, 'touch ~/.ssh/id_rsa', 'secrets/ssh-dir'],
    ['chmod', `${HOME}/.ssh/id_ed25519`, 'chmod o+r ~/.ssh/id_ed25519', 'secrets/ssh-dir'],
    ['create', `${HOME}/.bash_profile`, 'touch ~/.bash_profile', 'tamper/rc-files'],
  ] as const)('%s %s, like `%s`: %s', (operation, path, line, rule) => {
    const byEvent = file(engine, operation, path);
    const byCommand = command(engine, line);
    expect(byEvent.verdict).toBe('deny');
    expect(byEvent.matches.map((m) => m.rule)).toContain(rule);
    expect(byCommand.verdict).toBe('deny');
    expect(byCommand.matches.map((m) => m.rule)).toContain(rule);
  });

  it.each([
    ['create', `${PROJECT}/src/env.ts`],
    ['create', `${PROJECT}/.envrc`],
    ['write', `${PROJECT}/docs/dotenv.md`],
    ['create', `${HOME}/.sshrc.d/notes`],
    ['create', `${HOME}/.config/fish/config.fish`],
  ] as const)('allows %s %s', (operation, path) => {
    expect(file(engine, operation, path).verdict).toBe('allow');
  });

  it('switching a rule off by id switches it off for file events too', () => {
    const off = engineFrom('standard', { rules: entries([{ id: 'secrets/env-file', action: 'off' }]) });
    expect(file(off, 'create', `${PROJECT}/.env.local`).verdict).toBe('allow');
    expect(file(off, 'write', `${PROJECT}/.env.local`)).toMatchObject({ verdict: 'deny', rule: 'fs/protected-path' });
  });
});

describe('copies of secrets files: nothing destroyed is nothing denied', () => {
  it.each([
    ['cp .env.example .env', `${PROJECT}/.env`],
    ['cp .env .env.backup', `${PROJECT}/.env.backup`],
    ['cp config/env.sample config/.env', `${PROJECT}/config/.env`],
    ['cd config && cp ../.env.production .env.production.bak', `${PROJECT}/config/.env.production.bak`],
  ])('`%s` is denied until the caller says %s is missing', (line, path) => {
    const blind = command(engine, line);
    expect(blind.verdict).toBe('deny');
    expect(blind.ask).toEqual([path]);
    expect(withFacts(engine, line, [path])).toMatchObject({ verdict: 'allow' });
  });

  it.each([
    ['cp /tmp/from-the-web .env', `${PROJECT}/.env`], // not a copy of an env file: new content
    ['echo KEY=x > .env.local', `${PROJECT}/.env.local`],
    ['cp .env.example .env && rm .env.old', `${PROJECT}/.env`], // another change that no fact excuses
    ['cp .env.example ~/.ssh/config', `${HOME}/.ssh/config`],
  ])('`%s` stays denied even when %s is missing, and asks nothing it cannot use', (line, path) => {
    const d = withFacts(engine, line, [path]);
    expect(d.verdict).toBe('deny');
    expect(command(engine, line).ask).toBeUndefined();
  });

  it('only the first write of a missing file creates it: a second copy replaces the first', () => {
    expect(withFacts(engine, 'cp .env.example .env; cp .env.example .env', [`${PROJECT}/.env`]).verdict).toBe('deny');
  });

  it('a new file seen after the fact (the watcher) that is a copy of an env file passes, told so', () => {
    const create = (copyOf?: string) => engine.decide({ type: 'file', operation: 'create', path: `${PROJECT}/.env`, home: HOME, copyOf });
    expect(create().verdict).toBe('deny');
    expect(create(`${PROJECT}/.env.example`).verdict).toBe('allow');
    expect(create(`${PROJECT}/notes.txt`).verdict).toBe('deny');
    expect(engine.decide({ type: 'file', operation: 'write', path: `${PROJECT}/.env`, home: HOME, copyOf: `${PROJECT}/.env.example` }).verdict).toBe('deny');
  });

  it('a copy that never replaces a file needs no facts', () => {
    expect(command(engine, 'cp -n .env.example .env').verdict).toBe('allow');
  });

  it('with facts, other denials on the line still count', () => {
    const d = withFacts(engine, 'cp .env.example .env && rm -rf ~', [`${PROJECT}/.env`]);
    expect(d).toMatchObject({ verdict: 'deny', rule: 'fs/rm-home' });
  });
});

describe('SIGKILL of the shell\'s own jobs', () => {
  it.each(['sleep 100 & kill -9 $!', 'kill -9 %1', 'kill -KILL %+', 'kill -s KILL %node', 'server & sleep 1; kill -SIGKILL $! %%', 'kill -9 $(jobs -p)'])('allows `%s`', (line) => {
    expect(command(engine, line).verdict).toBe('allow');
  });

  it.each(['kill -9 $!', 'kill -9 $! 1', 'kill -9 %1 4242', '(sleep 9 &); kill -9 $!', 'sleep 9 & pkill -9 sleep', 'sleep 9 & kill -9 -$!', 'kill -9 "$(cat app.pid)"', 'sleep 1 & kill -9 $!1', 'sleep 1 & kill -9 "${!}0"', 'sleep 1 & kill -9 $(( $! + 1 ))'])('denies `%s`', (line) => {
    expect(command(engine, line)).toMatchObject({ verdict: 'deny', rule: 'proc/kill-9' });
  });
});

describe('find with a negated name', () => {
  it.each([
    [`find ${HOME} -mindepth 1 -maxdepth 1 ! -name '.*' -exec rm -rf {} +`, 'fs/rm-home', `${HOME}/*`],
    ["find . -maxdepth 1 ! -name '.*' -exec rm -rf {} +", 'fs/rm-project', `${PROJECT}/*`],
    [`find ${PROJECT} -maxdepth 1 -not -name '.*' -delete`, 'fs/rm-project', PROJECT],
  ])('`%s`: %s names the real target %s, not the excluded pattern', (line, rule, target) => {
    const d = command(engine, line);
    expect(d).toMatchObject({ verdict: 'deny', rule });
    expect(d.reason).toContain(`(${target})`);
    expect(d.reason).not.toContain('.*');
  });

  it('hidden entries are left out only one level down: deeper, find still walks into .git', () => {
    expect(command(engine, "find . -mindepth 1 -maxdepth 1 ! -name '.*' -exec rm -rf {} +").matches.map((m) => m.rule)).not.toContain('fs/git-dir');
    expect(command(engine, "find . -mindepth 1 ! -name '.*' -delete").matches.map((m) => m.rule)).toContain('fs/git-dir');
  });
});

describe('the next step of a denial', () => {
  it('names every rule that denied, as config entries that load and allow the line', () => {
    const line = 'echo KEY=1 > .env';
    const d = command(engine, line);
    const next = howToAllow(d)!;
    expect(next).toContain('.agentfirewall/config.yaml');
    const ids = [...next.matchAll(/\{id: ([a-z0-9/-]+), action: off\}/g)].map((m) => m[1]);
    expect(new Set(ids)).toEqual(new Set(d.matches.filter((m) => m.action === 'deny').map((m) => m.rule)));
    const allowed = engineFrom('standard', { rules: entries([...new Set(ids)].map((id) => ({ id, action: 'off' as const }))) });
    expect(command(allowed, line).verdict).toBe('allow');
  });

  it('says nothing for allow and warn', () => {
    expect(howToAllow(command(engine, 'ls'))).toBeUndefined();
    expect(howToAllow(command(engine, 'git push origin --delete old'))).toBeUndefined();
  });
});
