import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startModelMock, type ModelMock, type ScriptedCall, type Vendor } from './model-mock.js';

/** The real agent CLIs, installed by test/agents/setup.sh into $AGENTS_DIR. */
export const AGENTS_DIR = process.env.AGENTS_DIR || join(homedir(), '.cache', 'agentfirewall-test-agents');
const modules = join(AGENTS_DIR, 'node_modules');
export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'agentfirewall.js');

/** Where each agent's executable is, and how it is started (node for the JS bundles). */
export const AGENT_BINS = {
  claude: join(modules, '.bin', 'claude'),
  codex: join(modules, '.bin', 'codex'),
  gemini: join(modules, '@google', 'gemini-cli', 'bundle', 'gemini.js'),
  copilot: join(modules, '@github', 'copilot-linux-x64', 'copilot'),
} as const;
export type RealAgent = keyof typeof AGENT_BINS;

/** Why an agent cannot run here, or null. The suite fails on it: an agent that cannot run is never a pass. */
export function unavailable(agent: RealAgent): string | null {
  const bin = AGENT_BINS[agent];
  return existsSync(bin) ? null : `${agent} is not installed at ${bin}: run bash test/agents/setup.sh (AGENTS_DIR=${AGENTS_DIR})`;
}

/** A fresh home and a protected git project inside it, with a `.env`, an `.env.production`, `src/` and a decoy to delete. */
export interface World {
  home: string;
  project: string;
  decoy: string;
  /** The base environment every process gets: nothing inherited but PATH. */
  env: Record<string, string>;
}

export function makeWorld(): World {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'agentfirewall-agents-')));
  const project = join(home, 'proj');
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(home, 'decoy'));
  const decoy = join(home, 'decoy', 'keep.txt');
  writeFileSync(decoy, 'keep\n');
  writeFileSync(join(project, '.env'), 'SECRET=dummy\n');
  writeFileSync(join(project, '.env.production'), 'PROD=dummy\n');
  writeFileSync(join(project, 'src', 'index.js'), 'console.log(1)\n');
  const env = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: home, TERM: 'dumb', LANG: 'C.UTF-8' };
  spawnSync('git', ['init', '-q'], { cwd: project, env });
  const init = afw(['init'], { home, project, decoy, env });
  if (init.status !== 0) throw new Error(`agentfirewall init failed: ${init.stderr}`);
  return { home, project, decoy, env };
}

/** Run the built agentfirewall CLI in the project. */
export function afw(args: string[], world: World, extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: world.project, env: { ...world.env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
}

/** The audit log's lines. */
export function auditLines(world: World): Record<string, string>[] {
  const file = join(world.project, '.agentfirewall', 'logs', 'firewall.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
}

export interface AgentRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What the agent reported back to the model after each tool call. */
  toolResults: string[];
  requests: number;
}

const VENDOR: Record<RealAgent, Vendor> = { claude: 'anthropic', codex: 'openai', gemini: 'gemini', copilot: 'anthropic' };

/** The command line and environment that start `agent` non-interactively against the mock at `url`. */
function invocation(agent: RealAgent, world: World, mock: ModelMock): { argv: string[]; env: Record<string, string> } {
  const prompt = 'Do the task.';
  switch (agent) {
    case 'claude':
      return {
        argv: [AGENT_BINS.claude, '-p', prompt, '--model', 'claude-sonnet-4-5', '--permission-mode', 'bypassPermissions', '--output-format', 'json'],
        // bypassPermissions refuses to start as root unless told it is sandboxed.
        env: { ANTHROPIC_BASE_URL: mock.url, ANTHROPIC_API_KEY: 'sk-ant-dummy', IS_SANDBOX: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1', DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1' },
      };
    case 'codex':
      return {
        argv: [AGENT_BINS.codex, 'exec', '--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', prompt],
        env: { MOCK_OPENAI_API_KEY: 'sk-dummy' },
      };
    case 'gemini':
      return {
        argv: [process.execPath, AGENT_BINS.gemini, '-p', prompt, '--yolo', '--output-format', 'json'],
        env: { GOOGLE_GEMINI_BASE_URL: mock.url, GEMINI_API_KEY: 'dummy', GEMINI_CLI_NO_RELAUNCH: 'true' },
      };
    case 'copilot':
      return {
        argv: [AGENT_BINS.copilot, '-p', prompt, '--allow-all-tools', '--disable-client-telemetry'],
        env: { COPILOT_OFFLINE: 'true', COPILOT_AUTO_UPDATE: 'false', COPILOT_PROVIDER_TYPE: 'anthropic', COPILOT_PROVIDER_BASE_URL: mock.url, COPILOT_PROVIDER_API_KEY: 'sk-ant-dummy', COPILOT_MODEL: 'claude-sonnet-4.5' },
      };
  }
}

/** The agent-side configuration a user of the mock provider would have (written before any hook is installed). */
export function configureAgent(agent: RealAgent, world: World, port: number): void {
  if (agent === 'codex') {
    const file = join(world.home, '.codex', 'config.toml');
    mkdirSync(join(world.home, '.codex'), { recursive: true });
    const provider = [
      'model = "gpt-5.5"', 'model_provider = "mock"', 'check_for_update_on_startup = false', '',
      '[model_providers.mock]', 'name = "mock"', `base_url = "http://127.0.0.1:${port}/v1"`, 'env_key = "MOCK_OPENAI_API_KEY"', 'wire_api = "responses"', 'request_max_retries = 0', 'stream_max_retries = 0', '',
      '[analytics]', 'enabled = false', '',
    ].join('\n');
    // Keep what install-hooks wrote (trust entries): only the mock's port changes from run to run.
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(file, old.includes('[model_providers.mock]') ? old.replace(/base_url = "http:\/\/127\.0\.0\.1:\d+\/v1"/, `base_url = "http://127.0.0.1:${port}/v1"`) : provider + old);
  }
  if (agent === 'gemini') {
    const file = join(world.home, '.gemini', 'settings.json');
    mkdirSync(join(world.home, '.gemini'), { recursive: true });
    const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(file, JSON.stringify({ ...old, security: { auth: { selectedType: 'gemini-api-key' } }, privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false }, general: { enableAutoUpdate: false, enableAutoUpdateNotification: false } }, null, 2));
  }
}

/** Run the agent once against a mock that asks for `calls`, and return what it did and told the model. */
export async function runAgent(agent: RealAgent, world: World, calls: ScriptedCall[], extraArgs: string[] = []): Promise<AgentRun> {
  const mock = await startModelMock(VENDOR[agent], calls);
  try {
    configureAgent(agent, world, mock.port);
    const { argv, env } = invocation(agent, world, mock);
    const child = spawn(argv[0], [...argv.slice(1), ...extraArgs], { cwd: world.project, env: { ...world.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // A hung agent is a failure with its output, not a hung suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    const status = await new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
    clearTimeout(timer);
    return { status, stdout, stderr, toolResults: mock.toolResults(), requests: mock.requests.length };
  } finally {
    await mock.close();
  }
}
