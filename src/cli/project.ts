import { findProjectDir } from '../config/locate.js';
import { EXIT } from './exit-codes.js';
import { say } from './output.js';

/** The protected project around `cwd`, or exit code 2 after saying that there is none. */
export function projectOrExit(cwd: string): string | number {
  const projectDir = findProjectDir(cwd);
  if (projectDir) return projectDir;
  say(`no .agentfirewall/ found in ${cwd} or any parent directory (run 'agentfirewall init' first)`);
  return EXIT.error;
}
