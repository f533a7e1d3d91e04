import type { Field } from '../shell/expand.js';
import type { ExecutedCommand } from '../shell/interpret.js';
import { joinPath } from '../shell/paths.js';
import { target, type Effect } from './effects.js';
import { workLoss } from './git-work-loss.js';
import { OPTION_SPECS, resolveAbbreviation } from './options.js';

const GIT_VALUE_GLOBAL = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--super-prefix', '--config-env']);

/** git push --force and friends, reset --hard, clean -f, and `git rm` deleting files. */
export function gitEffects(command: ExecutedCommand, args: Field[], effects: Effect[], how: string): void {
  let i = 0;
  let cwd = command.cwd;
  let workTree: string | undefined;
  for (; i < args.length; i++) {
    const a = args[i].text;
    if (a === '-C') cwd = joinPath(cwd, args[i + 1]?.text ?? '.');
    if (a === '--work-tree') workTree = args[i + 1]?.text;
    else if (a.startsWith('--work-tree=')) workTree = a.slice(12);
    if (GIT_VALUE_GLOBAL.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) break;
  }
  const sub = args[i]?.text;
  const rest = args.slice(i + 1).map((f) => f.text);
  if (rest.includes('--help') || rest.includes('-h')) return;
  const spec = sub ? OPTION_SPECS.git.subcommands?.[sub] : undefined;
  const longs = rest.filter((r) => r.startsWith('--')).map((r) => resolveAbbreviation(r.slice(2).split('=')[0], spec));
  // Short option letters; a letter that takes a value (`-e PATTERN`, `-o OPTION`) ends its group and takes the next word.
  let shorts = '';
  const operands: string[] = [];
  for (let j = 0; j < rest.length; j++) {
    const r = rest[j];
    if (r === '--') {
      operands.push(...rest.slice(j + 1));
      break;
    }
    if (r.startsWith('--')) {
      if (!r.includes('=') && spec?.valueLong?.includes(resolveAbbreviation(r.slice(2), spec))) j++;
      continue;
    }
    if (!/^-./.test(r)) {
      operands.push(r);
      continue;
    }
    for (let k = 1; k < r.length; k++) {
      if (spec?.valueShort?.includes(r[k])) {
        if (k === r.length - 1) j++;
        break;
      }
      shorts += r[k];
    }
  }
  const holdsWorkingDir = (p: string) => {
    const dir = joinPath(cwd, p);
    return dir === '/' || cwd === dir || cwd.startsWith(`${dir}/`);
  };
  const why = sub ? workLoss({ sub, shorts, longs, operands, holdsWorkingDir }) : undefined;
  if (why) effects.push({ kind: 'git', op: 'discard-work', how, why });
  const indexOnly = sub === 'restore' && (shorts.includes('S') || longs.includes('staged')) && !(shorts.includes('W') || longs.includes('worktree'));
  if ((sub === 'checkout' || sub === 'restore') && !indexOnly) checkoutWrites(sub, rest, operands, workTree ? joinPath(cwd, workTree) : cwd, effects, how);
  switch (sub) {
    case 'push': {
      if (shorts.includes('n') || longs.includes('dry-run')) return;
      const force = shorts.includes('f') || longs.includes('force');
      const mirror = longs.includes('mirror');
      const plusRef = operands.slice(1).some((r) => r.startsWith('+'));
      if (force || mirror || plusRef) effects.push({ kind: 'git', op: 'push-force', how });
      return;
    }
    case 'reset':
      if (longs.includes('hard')) effects.push({ kind: 'git', op: 'reset-hard', how });
      return;
    case 'clean': {
      const dry = /n/.test(shorts) || longs.includes('dry-run') || /i/.test(shorts) || longs.includes('interactive');
      if (!dry && (shorts.includes('f') || longs.includes('force'))) effects.push({ kind: 'git', op: 'clean-force', how });
      return;
    }
    case 'rm': {
      if (longs.includes('cached') || /n/.test(shorts) || longs.includes('dry-run')) return;
      const recursive = /r/.test(shorts);
      for (const f of args.slice(i + 1).filter((x) => !x.text.startsWith('-'))) {
        const t = target(f, cwd);
        if (t) effects.push({ kind: 'delete', target: t, recursive, how });
      }
      return;
    }
  }
}

/**
 * `git checkout [TREE] -- FILE` and `git restore [-s TREE] FILE` overwrite FILE with another version: a write of it.
 * Without `--`, checkout's first operand is the branch or commit (unless it is a hidden path such as `.env`).
 */
function checkoutWrites(sub: string, rest: string[], operands: string[], dir: string, effects: Effect[], how: string): void {
  const dashes = rest.indexOf('--');
  const paths = sub === 'restore' || dashes >= 0 && rest.slice(0, dashes).every((r) => r.startsWith('-'))
    ? operands
    : dashes >= 0 ? rest.slice(dashes + 1) : operands.filter((o, k) => k > 0 || o.startsWith('.') && o.length > 1 && !/^\.\.?\/?$/.test(o));
  for (const p of paths) {
    // A whole tree is git/discard-work's case; here only named files and directories inside it.
    if (p === '' || /^(\.|\.\/|:\/|\*)$/.test(p)) continue;
    effects.push({ kind: 'write', target: { path: joinPath(dir, p), glob: /[*?[]/.test(p), dot: false }, how: `git ${sub}` });
  }
}
