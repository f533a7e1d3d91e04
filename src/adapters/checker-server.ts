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
import { decodeRequest, FIELD, MAX_REQUEST_BYTES, sameSecret } from './checker-protocol.js';
import { takeCheckerLock } from './checker-lock.js';

/**
 * The resident checker: one process per project that answers the shell guards over 127.0.0.1, so a check
 * costs a round trip instead of a Node start. The wire format is in checker-protocol.ts; the port, the token
 * (which the guards send) and the proof (which only the server sends back) are in `.agentfirewall/run/checker`
 * (0600, in the 0700 `run/`). Answers after the proof: `allow`, `incomplete`, `warn <rule> <reason>`,
 * `deny <rule> <reason>`, or `error <message>` (which the guards treat as a deny); a wrong token gets
 * `error bad token` without the proof, and the connection is closed.
 *
 * Bounds, so that no local process can stall it: the token is compared once its length has arrived (nothing
 * more is buffered before), a connection idle for IDLE_MS is closed, and past MAX_UNAUTHENTICATED connections
 * that have not shown the token the oldest is dropped; authenticated requests are answered as they come.
 */
export interface CheckerServer {
  port: number;
  close(): Promise<void>;
}

/** Where the guards find the running checker: port, token and proof, one a line. */
export function checkerFile(projectDir: string): string {
  return join(firewallPaths(projectDir).dir, 'run', 'checker');
}

/** The lock that keeps a second checker for the same project from starting. */
export function checkerLockFile(projectDir: string): string {
  return `${checkerFile(projectDir)}.lock`;
}

const IDLE_MS = 3_000;
const MAX_UNAUTHENTICATED = 64;

interface Loaded {
  sources: string[];
  policy: LoadedPolicy;
  engine: Engine;
  audit: AuditLog;
}

const RECHECK_MS = 200;

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function startCheckerServer(projectDir: string, home: string, onError: (message: string) => void): Promise<CheckerServer> {
  const file = checkerFile(projectDir);
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const release = takeCheckerLock(checkerLockFile(projectDir)); // throws CheckerRunning for a second checker
  try {
    return await listen(projectDir, home, onError, file, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function listen(projectDir: string, home: string, onError: (message: string) => void, file: string, release: () => void): Promise<CheckerServer> {
  const token = randomBytes(18).toString('base64url');
  const proof = randomBytes(18).toString('base64url');
  const tokenBytes = Buffer.from(`${token}${FIELD}`);
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

  // One authenticated request (the fields after the token), answered without the proof.
  const answer = (rest: string): string => {
    const request = decodeRequest(rest);
    if (!request) return 'error malformed request';
    const { command } = request;
    const cwd = request.cwd || projectDir;
    const [source = 'shell', ...options] = request.flags.split(',');
    const now = policy();
    const { engine, audit } = now;
    const decision = decideCommand(engine, {
      type: 'command', command, cwd, home, interactive: options.includes('interactive'), fragment: options.includes('fragment'),
      // The guard's shell, not this server's environment: what it did not send is unset there.
      env: { ...request.env, PWD: cwd },
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

  // Connections that have not shown the token yet, oldest first (a Set keeps insertion order).
  const strangers = new Set<Socket>();
  const server: Server = createServer((socket: Socket) => {
    strangers.add(socket);
    if (strangers.size > MAX_UNAUTHENTICATED) strangers.values().next().value?.destroy();
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    let scanned = 0; // bytes of `pending` already searched for the end of the line
    let authenticated = false;
    const refuse = (message: string) => {
      socket.removeAllListeners('data');
      socket.pause();
      socket.end(message, () => socket.destroy());
    };
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length) {
        if (!authenticated) {
          if (pending.length < tokenBytes.length) return; // at most the token's length is held before it is compared
          if (!sameSecret(pending.subarray(0, tokenBytes.length), tokenBytes)) return refuse('error bad token\n');
          authenticated = true;
          strangers.delete(socket);
          pending = pending.subarray(tokenBytes.length);
          scanned = 0;
        }
        const nl = pending.indexOf(10, scanned);
        if (nl < 0) {
          scanned = pending.length;
          if (pending.length > MAX_REQUEST_BYTES) refuse(`${proof} error request too large\n`);
          return;
        }
        let reply: string;
        try {
          reply = answer(pending.subarray(0, nl).toString('utf8'));
        } catch (error) {
          reply = `error ${(error as Error).message}`;
        }
        socket.write(`${proof} ${reply.replace(/\s+/g, ' ')}\n`); // one line, whatever a message holds
        // A further request on this connection shows the token again.
        authenticated = false;
        pending = pending.subarray(nl + 1);
        scanned = 0;
      }
    });
    socket.on('close', () => strangers.delete(socket));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${port}\n${token}\n${proof}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Remove the file only if it is still ours.
        try {
          if (readFileSync(file, 'utf8').split('\n')[1] === token) rmSync(file, { force: true });
        } catch {
          // already gone
        }
        release();
        for (const socket of strangers) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
