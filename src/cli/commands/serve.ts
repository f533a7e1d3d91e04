import { CheckerRunning } from '../../adapters/checker-lock.js';
import { startCheckerServer } from '../../adapters/checker-server.js';
import { EXIT } from '../exit-codes.js';
import { projectOrExit } from '../project.js';
import { say } from '../output.js';
import { runningWatcher } from './daemon.js';
import { refuseFromAgent } from '../agent-origin.js';

/** `agentfirewall serve`: run the resident checker for this project in the foreground until SIGINT/SIGTERM. */
export async function runServe(options: { cwd?: string }): Promise<number> {
  const refused = refuseFromAgent('serve');
  if (refused !== null) return refused;
  const cwd = options.cwd ?? process.cwd();
  const projectDir = projectOrExit(cwd);
  if (typeof projectDir === 'number') return projectDir;
  // A second checker would take over run/checker and, when it stops, leave the guards without their backstop.
  const watcher = runningWatcher(projectDir);
  if (watcher !== null) {
    say(`the watcher (pid ${watcher}) already runs the resident checker for ${projectDir}; nothing to do`);
    return EXIT.error;
  }
  const home = process.env.HOME || process.getBuiltinModule('node:os').homedir();
  let server;
  try {
    server = await startCheckerServer(projectDir, home, (message) => say(`warning: ${message}`));
  } catch (error) {
    if (!(error instanceof CheckerRunning)) throw error;
    say(`a resident checker (pid ${error.pid}) already runs for ${projectDir}; nothing to do`);
    return EXIT.error;
  }
  say(`resident checker for ${projectDir} on 127.0.0.1:${server.port} (stop with Ctrl-C)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return EXIT.ok;
}
