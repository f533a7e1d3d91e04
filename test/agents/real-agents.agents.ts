import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { afw, auditLines, configureAgent, makeWorld, runAgent, unavailable, type RealAgent, type World } from './harness.js';
import type { ScriptedCall } from './model-mock.js';

// The real agent CLIs, offline against a mock of their model API, with hooks installed only by
// `agentfirewall install-hooks` and checked by `agentfirewall doctor`. Each agent gets its own home and project;
// every path the model asks for is absolute, so nothing outside the temporary home can be reached.

const DENIED = /agentfirewall: denied by rule [a-z-]+\/[a-z-]+/;

/** The scripted tool calls each agent's model makes: one destructive command, one secrets write, one `ls`. */
interface Script {
  destroy: (w: World) => ScriptedCall[];
  secret: (w: World) => ScriptedCall[];
  /** The secrets file the write targets (Gemini refuses a path with a `.env` segment itself, so it writes `.env.production`). */
  secretFile: string;
  ls: ScriptedCall[];
}

const SCRIPTS: Record<RealAgent, Script> = {
  // Claude Code refuses `rm -rf <home>` on its own, so the home is emptied through find; Write needs a Read first.
  claude: {
    destroy: (w) => [{ tool: 'Bash', input: { command: `find ${w.home} -mindepth 1 -maxdepth 1 ! -name '.*' -exec rm -rf {} +`, description: 'Clean home' } }],
    secret: (w) => [{ tool: 'Read', input: { file_path: join(w.project, '.env') } }, { tool: 'Write', input: { file_path: join(w.project, '.env'), content: 'PWNED=1\n' } }],
    secretFile: '.env',
    ls: [{ tool: 'Bash', input: { command: 'ls', description: 'List files' } }],
  },
  // Codex refuses rm -f style commands itself; apply_patch is a freeform tool.
  codex: {
    destroy: (w) => [{ tool: 'exec_command', input: { cmd: `find ${w.home} -mindepth 1 -maxdepth 1 ! -name '.*' -exec rm -rf {} +`, yield_time_ms: 10000 } }],
    secret: () => [{ tool: 'apply_patch', raw: '*** Begin Patch\n*** Update File: .env\n@@\n-SECRET=dummy\n+PWNED=1\n*** End Patch\n' }],
    secretFile: '.env',
    ls: [{ tool: 'exec_command', input: { cmd: 'ls', yield_time_ms: 10000 } }],
  },
  gemini: {
    destroy: (w) => [{ tool: 'run_shell_command', input: { command: `rm -rf ${w.home}/*`, description: 'Remove files' } }],
    secret: (w) => [{ tool: 'write_file', input: { file_path: join(w.project, '.env.production'), content: 'PWNED=1\n' } }],
    secretFile: '.env.production',
    ls: [{ tool: 'run_shell_command', input: { command: 'ls', description: 'List files' } }],
  },
  copilot: {
    destroy: (w) => [{ tool: 'bash', input: { command: `rm -rf ${w.home}/*`, description: 'Remove files', mode: 'sync', initial_wait: 30 } }],
    secret: (w) => [{ tool: 'edit', input: { path: join(w.project, '.env'), old_str: 'SECRET=dummy', new_str: 'PWNED=1' } }],
    secretFile: '.env',
    ls: [{ tool: 'bash', input: { command: 'ls', description: 'List files', mode: 'sync', initial_wait: 30 } }],
  },
};

/** How each agent gets a hook that fires, using only what install-hooks offers (and the user's own folder trust). */
function install(agent: RealAgent, w: World): void {
  configureAgent(agent, w, 1); // the provider settings a user of the mock has; the port is set per run
  const steps: string[][] = {
    claude: [['install-hooks', '--agent', 'claude']],
    codex: [['install-hooks', '--agent', 'codex', '--trust-project']],
    // Headless Gemini refuses an untrusted folder outright, so the user has trusted it; the project hook then loads.
    gemini: [['install-hooks', '--agent', 'gemini']],
    // Copilot loads a repository's hooks only with folder trust; the user-scope hook fires without it.
    copilot: [['install-hooks', '--agent', 'copilot', '--scope', 'user']],
  }[agent];
  if (agent === 'gemini') {
    mkdirSync(join(w.home, '.gemini'), { recursive: true });
    writeFileSync(join(w.home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [w.project]: 'TRUST_FOLDER' }));
  }
  for (const args of steps) {
    const r = afw(args, w);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout, `install-hooks reported the hook inert: ${r.stdout}`).not.toMatch(/INERT/);
  }
}

const report = (run: { status: number | null; stdout: string; stderr: string; toolResults: string[]; requests: number }) =>
  `agent exit ${run.status}, ${run.requests} model requests\ntool results: ${JSON.stringify(run.toolResults)}\nstdout: ${run.stdout.slice(-1500)}\nstderr: ${run.stderr.slice(-1500)}`;

describe.each(Object.keys(SCRIPTS) as RealAgent[])('%s, real CLI, hook from install-hooks', (agent) => {
  let world: World;
  const script = SCRIPTS[agent];

  beforeAll(() => {
    world = makeWorld();
  });

  it('is installed here (a missing agent fails the suite)', () => {
    expect(unavailable(agent)).toBeNull();
  });

  it('gets a hook that doctor finds trusted and denying a dry run', () => {
    install(agent, world);
    const doctor = afw(['doctor'], world);
    const line = doctor.stdout.split('\n').find((l) => l.includes(`${agent} hook`)) ?? '';
    expect(line, doctor.stdout).toMatch(new RegExp(`^ok +${agent} hook .*denied by fs/rm-home`));
    expect(doctor.status, doctor.stdout).toBe(0);
  }, 120_000);

  it('blocks a destructive shell command, and the model receives our reason', async () => {
    const run = await runAgent(agent, world, script.destroy(world));
    expect(existsSync(world.decoy), report(run)).toBe(true);
    expect(run.toolResults.join('\n'), report(run)).toMatch(DENIED);
    expect(auditLines(world).some((l) => l.verdict === 'deny' && l.source === agent && l.type === 'command')).toBe(true);
  }, 180_000);

  it('blocks a write to the secrets file, and the model receives our reason', async () => {
    const file = join(world.project, script.secretFile);
    const before = readFileSync(file, 'utf8');
    const run = await runAgent(agent, world, script.secret(world));
    expect(readFileSync(file, 'utf8'), report(run)).toBe(before);
    expect(run.toolResults.join('\n'), report(run)).toMatch(DENIED);
    expect(auditLines(world).some((l) => l.verdict === 'deny' && l.source === agent && l.type === 'file' && l.target === file)).toBe(true);
  }, 180_000);

  it('lets ls through', async () => {
    const run = await runAgent(agent, world, script.ls);
    const results = run.toolResults.join('\n');
    expect(results, report(run)).toMatch(/\bsrc\b/);
    expect(results).not.toMatch(DENIED);
  }, 180_000);
});

describe.each(Object.keys(SCRIPTS) as RealAgent[])('%s without a hook (the scripted call really runs)', (agent) => {
  it('deletes the decoy: what the hook is there to stop', async () => {
    expect(unavailable(agent)).toBeNull();
    const world = makeWorld();
    if (agent === 'gemini') {
      mkdirSync(join(world.home, '.gemini'), { recursive: true });
      writeFileSync(join(world.home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [world.project]: 'TRUST_FOLDER' }));
    }
    const run = await runAgent(agent, world, SCRIPTS[agent].destroy(world), agent === 'copilot' ? ['--trust-folder'] : []);
    expect(existsSync(world.decoy), report(run)).toBe(false);
  }, 180_000);
});

describe('copilot with the Claude hook installed too', () => {
  it('checks each call once and logs it as copilot', async () => {
    expect(unavailable('copilot')).toBeNull();
    const world = makeWorld();
    install('copilot', world);
    expect(afw(['install-hooks', '--agent', 'claude'], world).status).toBe(0);
    const run = await runAgent('copilot', world, SCRIPTS.copilot.destroy(world), ['--trust-folder']);
    expect(existsSync(world.decoy), report(run)).toBe(true);
    expect(run.toolResults.join('\n'), report(run)).toMatch(DENIED);
    const denies = auditLines(world).filter((l) => l.type === 'command' && l.verdict === 'deny');
    expect(denies.map((l) => l.source), JSON.stringify(denies)).toEqual(['copilot']);
  }, 180_000);
});

describe('codex: a hook as installed before the fix would stay inert', () => {
  it('install-hooks in an untrusted project says INERT and names the command that arms it', () => {
    expect(unavailable('codex')).toBeNull();
    const world = makeWorld();
    configureAgent('codex', world, 1);
    const r = afw(['install-hooks', '--agent', 'codex'], world);
    expect(r.stdout).toMatch(/INERT: .*arm it: agentfirewall install-hooks --agent codex --trust-project/);
    expect(afw(['doctor'], world).status).toBe(1);
  }, 60_000);
});
