import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compilePolicy } from '../../config/compile.js';
import { loadPresetChain } from '../../config/load.js';
import { firewallPaths, PRESET_NAMES } from '../../config/locate.js';
import { renderConfig, renderGitignore, RUNTIME_DIRS } from '../../config/template.js';
import { closest, formatIssue, type ConfigIssue } from '../../config/validate.js';
import { EXIT } from '../exit-codes.js';
import { say, sayLines } from '../output.js';
import { refuseFromAgent } from '../agent-origin.js';

export interface InitOptions {
  preset: string;
  force?: boolean;
  dir?: string;
}

/** The config text `init` writes for a preset (exported for tests and `protect`). */
export function configTextFor(preset: string, projectDir: string): { text?: string; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const presets = loadPresetChain(preset, issues);
  if (issues.length) return { issues };
  const { settings, policy } = compilePolicy({ projectDir, presets, config: {}, ruleFiles: [] });
  return { text: renderConfig(preset, settings, policy.rules), issues: [] };
}

/**
 * Make sure `.agentfirewall/.gitignore` keeps every runtime directory out of git: written when missing,
 * completed (the user's own lines kept) when it lacks one. Returns what was done, or null when nothing was.
 */
export function ensureGitignore(firewallDir: string): 'created' | 'completed' | null {
  const file = join(firewallDir, '.gitignore');
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  // Each runtime directory also ignores itself, so that on a branch whose .agentfirewall/ has no .gitignore
  // (a checkout of an older commit) `git add -A` still picks up nothing of them.
  for (const dir of RUNTIME_DIRS.filter((d) => d !== 'vault')) { // the vault now lives outside the project
    const own = join(firewallDir, dir, '.gitignore');
    if (existsSync(own)) continue;
    mkdirSync(join(firewallDir, dir), { recursive: true, mode: 0o700 });
    writeFileSync(own, '# runtime state of agentfirewall: never committed\n*\n');
  }
  const lines = new Set((text ?? '').split('\n').map((l) => l.trim().replace(/^\/+/, '')));
  const missing = RUNTIME_DIRS.filter((d) => !lines.has(`${d}/`) && !lines.has(d));
  if (text !== undefined && missing.length === 0) return null;
  const next = text === undefined ? renderGitignore() : `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${missing.map((d) => `${d}/`).join('\n')}\n`;
  mkdirSync(firewallDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
  return text === undefined ? 'created' : 'completed';
}

/** `agentfirewall init`: create `.agentfirewall/` with a complete, commented config. */
export function runInit(options: InitOptions): number {
  const refused = options.force ? refuseFromAgent('init --force') : null;
  if (refused !== null) return refused;
  const projectDir = resolve(options.dir ?? process.cwd());
  if (!PRESET_NAMES.includes(options.preset)) {
    const hint = closest(options.preset, PRESET_NAMES);
    say(`unknown preset '${options.preset}'${hint ? ` (did you mean '${hint}'?)` : ''}; presets are ${PRESET_NAMES.join(', ')}. Nothing was changed.`);
    return EXIT.error;
  }
  const paths = firewallPaths(projectDir);
  if (existsSync(paths.config) && !options.force) {
    say(`${paths.config} already exists; use --force to overwrite it (rules/ and logs/ are kept). Nothing was changed.`);
    return EXIT.error;
  }
  const { text, issues } = configTextFor(options.preset, projectDir);
  if (!text) {
    say(`the preset '${options.preset}' is broken (this is a bug in agentfirewall):`);
    sayLines(issues.map((i) => `  ${formatIssue(i)}`));
    return EXIT.error;
  }
  try {
    for (const sub of ['', 'rules', 'logs', 'hooks', 'plugins']) mkdirSync(join(paths.dir, sub), { recursive: true });
    const tmp = `${paths.config}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, paths.config);
    ensureGitignore(paths.dir);
  } catch (error) {
    say(`cannot write ${paths.config}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return EXIT.error;
  }
  say(`${options.force ? 'rewrote' : 'created'} ${paths.config} (preset ${options.preset}, mode enforce unless the preset says otherwise)`);
  return EXIT.ok;
}
