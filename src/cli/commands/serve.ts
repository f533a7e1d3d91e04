import { startCheckerServer } from '../../adapters/checker-server.js';
import { EXIT } from '../exit-codes.js';
import { projectOrExit } from '../project.js';
import { say } from '../output.js';

/** `agentfirewall serve`: run the resident checker for this project in the foreground until SIGINT/SIGTERM. */
export async function runServe(options: { cwd?: string }): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  const projectDir = projectOrExit(cwd);
  if (typeof projectDir === 'number') return projectDir;
  const home = process.env.HOME || process.getBuiltinModule('node:os').homedir();
  const server = await startCheckerServer(projectDir, home, (message) => say(`warning: ${message}`));
  say(`resident checker for ${projectDir} on 127.0.0.1:${server.port} (stop with Ctrl-C)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return EXIT.ok;
}
