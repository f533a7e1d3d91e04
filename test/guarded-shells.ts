import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, cli } from './helpers.js';

/** Poll until `probe` returns something truthy; fail with `what` after `ms` (the machine may be busy). */
export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A `bin/` under the home with `agentfirewall` in it, as an installation puts it on PATH. */
export function installedBin(home: string): string {
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(BIN, join(bin, 'agentfirewall'));
  return bin;
}

/** The environment `eval "$(agentfirewall shell-env)"` gives an agent started in `project`. SHLVL=1 as in any started shell. */
export function agentEnv(project: string, home: string, path: string): Record<string, string> {
  const env: Record<string, string> = { PATH: path, HOME: home, TERM: 'xterm', SHLVL: '1', SHELL: '/bin/bash' };
  const exports = cli(['shell-env'], { cwd: project, home }).stdout;
  for (const m of exports.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
  return env;
}

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** The prompt the terminal tests set, so that a prompt on the screen is unmistakable. */
export const PROMPT = 'AFT$';

/** An interactive shell in a tmux terminal; `type` sends a line and waits for the next bare prompt. */
export async function terminal(cwd: string, env: Record<string, string>, argv: string[]) {
  const socket = `aft-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  if (tmux('new-session', '-d', '-s', 't', '-x', '200', '-y', '50', '-c', cwd, 'env', ...envArgs, ...argv).status !== 0) throw new Error('tmux did not start');
  const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 't').stdout;
  const lines = () => screen().split('\n').map((l) => l.trimEnd());
  const prompts = () => lines().filter((l) => l.startsWith(PROMPT)).length;
  const atPrompt = () => lines().filter((l) => l !== '').at(-1) === PROMPT;
  try {
    await waitFor(() => atPrompt(), `the first prompt of ${argv.join(' ')}`);
  } catch (error) {
    tmux('kill-server');
    throw error;
  }
  return {
    screen,
    async type(line: string): Promise<void> {
      const before = prompts();
      tmux('send-keys', '-t', 't', '-l', line);
      tmux('send-keys', '-t', 't', 'Enter');
      await waitFor(() => prompts() > before && atPrompt(), `a prompt after ${JSON.stringify(line)}`, 120_000).catch((error: Error) => {
        throw new Error(`${error.message}:\n${screen()}`);
      });
    },
    close: () => tmux('kill-server'),
  };
}
