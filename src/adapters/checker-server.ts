import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createEngine } from '../config/glob.js';
import { firewallPaths } from '../config/locate.js';
import { loadFallbackPolicy, loadPolicyFromYaml } from '../config/load.js';
import { howToAllow } from '../config/next-step.js';
import { lastGoodPolicy, policySources } from '../config/policy-cache.js';
import type { LoadedPolicy } from '../config/policy-types.js';
import type { Engine } from '../engine/engine.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { decisionNotice } from './breaker-notice.js';
import { decideCommand } from './path-facts.js';

/**
 * The resident checker: one process per project that answers the shell guards over 127.0.0.1, so a check
 * costs a round trip instead of a Node start.
 *
 * Protocol, one request per line, fields separated by \x1f, newlines in the command sent as \x1e:
 *   <token> \x1f <flags> \x1f <cwd> \x1f <command>
 * flags: the source (bash, zsh ...), then `interactive` and/or `fragment`, comma-separated.
 * Answers: `allow`, `incomplete`, `warn <rule> <reason>`, `deny <rule> <reason>`, or `error <message>`
 * (which the guards treat as a deny). The port and token are in `.agentfirewall/run/checker` (0600):
 * the token only yields verdicts, but keeps other local users' processes from using the checker.
 */
export interface CheckerServer {
  port: number;
  close(): Promise<void>;
}

/** Where the guards find the running checker: port on the first line, token on the second. */
export function checkerFile(projectDir: string): string {
  return join(firewallPaths(projectDir).dir, 'run', 'checker');
}

interface Loaded {
  sources: string[];
  policy: LoadedPolicy;
  engine: Engine;
  audit: AuditLog;
}

const RECHECK_MS = 200;

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function startCheckerServer(projectDir: string, home: string, onError: (message: string) => void): Promise<CheckerServer> {
  const token = randomBytes(18).toString('base64url');
  let current: Loaded | undefined;
  let checkedAt = 0;

  // The policy is re-read when any file it comes from changes (looked at most every 200 ms: a loop of checks
  // should not re-read five files each time); a broken config keeps protection on the standard preset.
  const policy = (): Loaded => {
    const now = Date.now();
    if (current && now - checkedAt < RECHECK_MS) return current;
    checkedAt = now;
    const sources = policySources(projectDir);
    if (current && same(current.sources, sources)) return current;
    let loaded = lastGoodPolicy(projectDir, sources) ?? loadPolicyFromYaml(projectDir);
    if (loaded.issues.length) {
      onError(`configuration errors: ${loaded.issues.length}; the standard preset is enforced until they are fixed`);
      loaded = loadFallbackPolicy(projectDir, loaded.issues);
    }
    current = { sources, policy: loaded, engine: createEngine(loaded.policy), audit: openAuditLog(firewallPaths(projectDir).dir, loaded.logging) };
    return current;
  };
  policy();

  const answer = (line: string): string => {
    const [given, flags = '', cwd = projectDir, ...rest] = line.split('\x1f');
    if (given !== token) return 'error bad token';
    const command = rest.join('\x1f').replace(/\x1e/g, '\n');
    const [source = 'shell', ...options] = flags.split(',');
    const now = policy();
    const { engine, audit } = now;
    const decision = decideCommand(engine, {
      type: 'command', command, cwd, home, interactive: options.includes('interactive'), fragment: options.includes('fragment'),
    });
    if (decision.rule === 'parse/incomplete') return 'incomplete';
    try {
      audit.decision('command', command, decision, source, cwd);
    } catch (error) {
      return `error ${(error as Error).message}`;
    }
    if (decision.verdict === 'allow') return 'allow';
    const notice = decisionNotice(now.policy, firewallPaths(projectDir).dir);
    const next = howToAllow(decision);
    return `${decision.verdict} [${decision.rule}] ${decision.reason.replace(/\s+/g, ' ')}${notice ? ` (${notice})` : ''}${next ? `; ${next}` : ''}`;
  };

  const server: Server = createServer((socket: Socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 1_000_000) {
        socket.end('error request too large\n');
        return;
      }
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let reply: string;
        try {
          reply = answer(line);
        } catch (error) {
          reply = `error ${(error as Error).message}`;
        }
        socket.write(`${reply}\n`);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const file = checkerFile(projectDir);
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${port}\n${token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Remove the file only if it is still ours (another checker may have started since).
        try {
          if (readFileSync(file, 'utf8').split('\n')[1] === token) rmSync(file, { force: true });
        } catch {
          // already gone
        }
        server.close(() => resolve());
      }),
  };
}
