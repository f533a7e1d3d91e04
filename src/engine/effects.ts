import type { Field } from '../shell/expand.js';
import type { ExecutedCommand } from '../shell/interpret.js';
import { joinPath } from '../shell/paths.js';
import { commandName } from '../shell/wrappers.js';
import { gitEffects } from './git-effects.js';
import { OPTION_SPECS, resolveAbbreviation } from './options.js';
import { isMoreDiskDevice } from './disk-devices.js';
import { toolEffects, withoutDryRunDisks } from './tool-effects.js';

/** A path an effect acts on: absolute, possibly a glob the shell (or `find`) would expand. */
export interface Target {
  path: string;
  glob: boolean;
  /** The glob matches hidden names too (`find` results). */
  dot: boolean;
  /** The compiled glob, once a detector needed it. */
  re?: RegExp;
}

/** What a command does to the world, as far as the built-in rules care. */
export type Effect =
  | { kind: 'delete'; target: Target; recursive: boolean; how: string }
  | { kind: 'move'; target: Target; to?: Target; how: string }
  | {
      kind: 'write';
      target: Target;
      how: string;
      /** The file written becomes a copy of this one (`cp SRC DEST`). */
      copyOf?: Target;
      /** It never replaces an existing file (`cp -n`, `--update=none`). */
      noClobber?: boolean;
      /** Set by the engine: the target did not exist before the line (the caller said so) and nothing earlier on the line wrote it. */
      fresh?: boolean;
    }
  /** Creating a file, or only touching its times when it exists (`touch`). */
  | { kind: 'create'; target: Target; how: string }
  | { kind: 'chmod'; target: Target; mode: string; recursive: boolean; how: string }
  /** `ownJobs`: every process it signals is a job of the shell running the line (`%1`, `$!` after `&`, `$(jobs -p)`). */
  | { kind: 'signal'; signal: string; how: string; ownJobs?: boolean }
  | { kind: 'git'; op: 'push-force' | 'reset-hard' | 'clean-force' | 'discard-work'; how: string; why?: string }
  | { kind: 'disk'; device: string; how: string }
  | { kind: 'tamper'; how: string }
  /** A tree removal or recursive chmod of a target with unknown parts, each read as empty (`rm -rf ~/"$(cat f)"`). */
  | { kind: 'unknown-part'; of: Extract<Effect, { kind: 'delete' | 'move' | 'chmod' }>; how: string };

const BLOCK_DEVICE = /^\/dev\/(sd[a-z]+\d*|hd[a-z]+\d*|vd[a-z]+\d*|xvd[a-z]+\d*|nvme\d+n\d+(p\d+)?|mmcblk\d+(p\d+)?|disk\d+(s\d+)?|rdisk\d+(s\d+)?|md\d+|dm-\d+|mapper\/.+|sr\d+|loop\d+)$/;
const NOT_A_FILE = /^\/dev\/(null|zero|stdout|stderr|stdin|tty|full|random|urandom|fd\/\d+)$|^\/proc\/self\/fd\//;

/** True for a whole-disk or partition device path. */
export function isBlockDevice(path: string): boolean {
  return BLOCK_DEVICE.test(path) || isMoreDiskDevice(path);
}

/** The target a literal field names, resolved against cwd; null when the field is unknown or empty. */
export function target(field: Field, cwd: string): Target | null {
  if (field.dynamic || field.text === '') return null;
  return { path: joinPath(cwd, field.text), glob: field.glob, dot: field.dotGlob === true };
}

/** Split argv into options and operands (`--` ends options), with a command's value-taking options. */
function operandsOf(args: Field[], valueShort = '', valueLong: string[] = []): { options: string[]; operands: Field[] } {
  const options: string[] = [];
  const operands: Field[] = [];
  let done = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i].text;
    if (done || a === '-' || !a.startsWith('-') || args[i].dynamic) {
      operands.push(args[i]);
      continue;
    }
    if (a === '--') {
      done = true;
      continue;
    }
    options.push(a);
    if (a.startsWith('--')) {
      if (!a.includes('=') && valueLong.includes(a.slice(2))) options.push(args[++i]?.text ?? '');
    } else if (valueShort && valueShort.includes(a[a.length - 1]) && a.length === 2) options.push(args[++i]?.text ?? '');
  }
  return { options, operands };
}

function hasShort(options: string[], letter: string): boolean {
  return options.some((o) => /^-[^-]/.test(o) && o.slice(1).includes(letter));
}

function hasLong(options: string[], names: string[], known?: string[]): boolean {
  return options.some((o) => {
    if (!o.startsWith('--')) return false;
    const name = o.slice(2).split('=')[0];
    const resolved = known ? resolveAbbreviation(name, { knownLong: known }) : name;
    return names.includes(resolved);
  });
}

const SIGKILL = /^(-)?(sig)?(kill|9)$/i;

/**
 * A job of the shell that runs the line: a job spec (`%1`, `%%`, `%+`, `%name`; the interpreter gives `$!` the
 * value `%%` once the line has started a job in the background) or the pids `jobs -p` prints.
 */
function isOwnJob(field: Field): boolean {
  // Only a well-formed spec: `$!` glued to more text (`$!1`, `${!}0`) would be another pid in the real shell.
  if (!field.dynamic) return /^%(%|\+|-|\d+|\??[A-Za-z_][\w.-]*)$/.test(field.text);
  return field.text === '' && field.producers !== undefined && field.producers.length > 0 && field.producers.every((p) => p === 'jobs');
}

/** Every effect of one executed command. */
export function effectsOf(command: ExecutedCommand): Effect[] {
  const effects: Effect[] = [];
  const cwd = command.cwd;
  // A short label of what did it, for messages (the program, or the API call for interpreter code).
  const how = command.api ?? (command.argv[0] ? commandName(command.argv[0].text) : 'shell');
  // Redirections write their targets; onto a disk device they destroy it.
  for (const r of command.redirects) {
    if (!/^(>|>>|>\||&>|&>>|<>)$/.test(r.op) && !(r.op === '>&' && !/^\d+$|^-$/.test(r.target.text))) continue;
    const t = target(r.target, cwd);
    if (!t || NOT_A_FILE.test(t.path)) continue;
    if (isBlockDevice(t.path)) effects.push({ kind: 'disk', device: t.path, how: `redirect ${r.op} ${t.path}` });
    else effects.push({ kind: 'write', target: t, how: `redirect ${r.op} ${r.target.text}` });
  }
  tamperEffects(command, effects);
  if (command.argv.length === 0 || command.argv[0].dynamic) return effects;
  const name = commandName(command.argv[0].text);
  const args = command.argv.slice(1);
  const fromFind = command.via.some((v) => v === 'find -exec' || v === 'find -delete');
  const push = (field: Field, make: (t: Target) => Effect | null) => {
    const t = target(field, cwd);
    if (t) {
      const e = make(t);
      if (e) effects.push(e);
    } else {
      const u = unknownPartEffect(field, cwd, make);
      if (u) effects.push(u);
    }
  };
  switch (name) {
    case 'rm':
    case 'rimraf':
    case 'srm':
    case 'trash':
    case 'trash-put':
    case 'del': {
      const { options, operands } = operandsOf(args);
      const recursive = name !== 'rm' || hasShort(options, 'r') || hasShort(options, 'R') || hasLong(options, ['recursive'], OPTION_SPECS.rm.knownLong) || fromFind;
      for (const f of operands) push(f, (t) => ({ kind: 'delete', target: t, recursive, how }));
      break;
    }
    case 'unlink':
    case 'rmdir':
      for (const f of operandsOf(args).operands) push(f, (t) => ({ kind: 'delete', target: t, recursive: false, how }));
      break;
    case 'shred':
    case 'wipe': {
      const { options, operands } = operandsOf(args, 'ns', ['iterations', 'size', 'random-source']);
      for (const f of operands) {
        push(f, (t) => (isBlockDevice(t.path) ? { kind: 'disk', device: t.path, how } : { kind: 'write', target: t, how }));
        if (hasShort(options, 'u') || hasLong(options, ['remove'])) push(f, (t) => ({ kind: 'delete', target: t, recursive: false, how }));
      }
      break;
    }
    case 'mv': {
      const { options, operands } = operandsOf(args, 'tS', ['target-directory', 'suffix']);
      const dirOpt = options.findIndex((o) => o === '-t' || o.startsWith('--target-directory'));
      const dest = dirOpt >= 0 ? options[dirOpt + 1] ?? options[dirOpt].split('=')[1] : operands.length > 1 ? operands[operands.length - 1].text : undefined;
      const sources = dirOpt >= 0 ? operands : operands.slice(0, -1);
      const to = dest !== undefined ? { path: joinPath(cwd, dest), glob: false, dot: false } : undefined;
      for (const f of sources) push(f, (t) => ({ kind: 'move', target: t, to, how }));
      if (to) effects.push({ kind: 'write', target: to, how });
      if (dest !== undefined && (dirOpt >= 0 || dest.endsWith('/') || /^(\.|\.\.|~)$/.test(dest) || sources.length > 1)) {
        for (const s of sources) effects.push({ kind: 'write', target: { path: joinPath(joinPath(cwd, dest), s.text.replace(/\/$/, '').split('/').pop() ?? ''), glob: false, dot: false }, how });
      }
      break;
    }
    case 'cp':
    case 'install':
    case 'ln': {
      const { options, operands } = operandsOf(args, name === 'install' ? 'gmoStT' : 'St', ['target-directory', 'suffix', 'mode', 'owner', 'group']);
      const dirOpt = options.findIndex((o) => o === '-t' || o.startsWith('--target-directory'));
      if (dirOpt >= 0) {
        const dir = options[dirOpt + 1] ?? options[dirOpt].split('=')[1] ?? '';
        for (const f of operands) effects.push({ kind: 'write', target: { path: joinPath(joinPath(cwd, dir), f.text.split('/').pop() ?? ''), glob: false, dot: false }, how });
      } else if (operands.length >= 2 || (name === 'ln' && operands.length === 1)) {
        const dest = operands[operands.length - 1];
        const sources = operands.slice(0, -1);
        // cp of one file makes the destination a copy of it; -n and --update=none never replace an existing one.
        const copyOf = name === 'cp' && sources.length === 1 ? target(sources[0], cwd) ?? undefined : undefined;
        const noClobber = name === 'cp' && (hasShort(options, 'n') || options.some((o) => /^--(no-clobber|update=none(-fail)?)$/.test(o)));
        if (name === 'ln' && operands.length === 1) push(lit(operands[0].text.split('/').pop() ?? ''), (t) => ({ kind: 'write', target: t, how }));
        else {
          push(dest, (t) => ({ kind: 'write', target: t, how, copyOf, noClobber }));
          // Into a directory: the file lands under it.
          if (dest.text.endsWith('/') || /^(\.|\.\.|~)$/.test(dest.text) || sources.length > 1) for (const s of sources) push(lit(`${dest.text.replace(/\/$/, '')}/${s.text.replace(/\/$/, '').split('/').pop()}`), (t) => ({ kind: 'write', target: t, how }));
        }
      }
      break;
    }
    case 'rsync': {
      const { options, operands } = operandsOf(args, 'eBfT', ['rsh', 'exclude', 'include', 'filter', 'rsync-path', 'chmod', 'chown', 'backup-dir', 'suffix', 'temp-dir', 'compare-dest', 'link-dest', 'copy-dest', 'partial-dir', 'files-from', 'exclude-from', 'include-from', 'log-file', 'password-file', 'bwlimit', 'timeout', 'max-size', 'min-size']);
      const dest = operands[operands.length - 1];
      if (operands.length >= 2 && !dest.text.includes(':')) {
        push(dest, (t) => ({ kind: 'write', target: t, how }));
        if (options.some((o) => /^--del(ete)?(-|$)/.test(o) || o === '--delete')) {
          push(lit(`${dest.text.replace(/\/$/, '')}/*`), (t) => ({ kind: 'delete', target: { ...t, glob: true, dot: true }, recursive: true, how }));
        }
        if (options.includes('--remove-source-files')) for (const s of operands.slice(0, -1)) push(s, (t) => ({ kind: 'delete', target: t, recursive: false, how }));
      }
      break;
    }
    case 'scp': {
      const { operands } = operandsOf(args, 'cFiJloPS', []);
      const dest = operands[operands.length - 1];
      if (operands.length >= 2 && !/^[^/]*:/.test(dest.text)) push(dest, (t) => ({ kind: 'write', target: t, how }));
      break;
    }
    case 'tee': {
      for (const f of operandsOf(args).operands) push(f, (t) => (NOT_A_FILE.test(t.path) ? null : isBlockDevice(t.path) ? { kind: 'disk', device: t.path, how } : { kind: 'write', target: t, how }));
      break;
    }
    case 'touch': {
      for (const f of operandsOf(args, 'dtr', ['date', 'reference']).operands) push(f, (t) => ({ kind: 'create', target: t, how }));
      break;
    }
    case 'truncate': {
      for (const f of operandsOf(args, 'sr', ['size', 'reference']).operands) push(f, (t) => ({ kind: 'write', target: t, how }));
      break;
    }
    case 'awk':
    case 'gawk': {
      // gawk -i inplace edits its files in place.
      const texts = args.map((a) => a.text);
      const at = texts.findIndex((t, i) => (t === '-i' && texts[i + 1] === 'inplace') || t === '--include=inplace');
      if (at < 0) break;
      const rest = args.slice(at + (texts[at] === '-i' ? 2 : 1)).filter((f) => !f.text.startsWith('-'));
      for (const f of rest.slice(1)) push(f, (t) => ({ kind: 'write', target: t, how }));
      break;
    }
    case 'sed':
    case 'perl': {
      const inPlace = args.some((a) => /^-[a-zA-Z]*i/.test(a.text) || a.text.startsWith('--in-place'));
      if (!inPlace) break;
      const { options, operands } = operandsOf(args, name === 'sed' ? 'efl' : 'eEIMmlx', ['expression', 'file', 'line-length']);
      const scriptGiven = options.some((o) => /^-[a-zA-Z]*[eEf]$/.test(o) || o.startsWith('--expression') || o.startsWith('--file'));
      const files = scriptGiven ? operands : operands.slice(1);
      for (const f of files) push(f, (t) => ({ kind: 'write', target: t, how }));
      break;
    }
    case 'dd': {
      for (const a of args) {
        const m = /^of=(.+)$/.exec(a.text);
        if (!m || a.dynamic) continue;
        const path = joinPath(cwd, m[1]);
        if (isBlockDevice(path)) effects.push({ kind: 'disk', device: path, how });
        else if (!NOT_A_FILE.test(path)) effects.push({ kind: 'write', target: { path, glob: false, dot: false }, how });
      }
      break;
    }
    case 'curl':
    case 'wget': {
      const flags = name === 'curl' ? ['-o', '--output'] : ['-O', '--output-document'];
      for (let i = 0; i < args.length; i++) {
        const a = args[i].text;
        const eq = a.indexOf('=');
        const value = flags.includes(a) ? args[i + 1] : eq > 0 && flags.includes(a.slice(0, eq)) ? lit(a.slice(eq + 1)) : /^-[a-zA-Z]*O$/.test(a) && name === 'wget' ? args[i + 1] : undefined;
        if (value && value.text !== '-') push(value, (t) => ({ kind: 'write', target: t, how }));
      }
      // wget without -O, and curl -O / --remote-name, save under the URL's file name in the working directory.
      const texts = args.map((a) => a.text);
      const saves = name === 'wget' ? !texts.some((t) => /^(-[a-zA-Z]*O|--output-document)/.test(t) || t === '--spider') : texts.some((t) => /^-[a-zA-Z]*O$/.test(t) || t === '--remote-name');
      if (saves) {
        for (const url of texts.filter((t) => /^[a-z]+:\/\//i.test(t))) {
          const file = url.replace(/[?#].*$/, '').split('/').pop();
          if (file) push(lit(file), (t) => ({ kind: 'write', target: t, how }));
        }
      }
      break;
    }
    case 'ssh-keygen': {
      const texts = args.map((a) => a.text);
      // -l, -y, -F, -B, -D, -H, -L, -Q, -e, -i only read (fingerprints, public keys, searches, conversions printed);
      // -Y signs or verifies other files with a key it only reads.
      if (texts.some((t) => /^-[a-zA-Z]+$/.test(t) && /[ylFBDHLQeiY]/.test(t.slice(1)))) break;
      const f = texts.findIndex((t) => t === '-f');
      if (f >= 0 && args[f + 1]) push(args[f + 1], (t) => ({ kind: 'write', target: t, how }));
      else if (texts.includes('-R')) effects.push({ kind: 'write', target: { path: `${command.home}/.ssh/known_hosts`, glob: false, dot: false }, how });
      else {
        const type = texts[texts.indexOf('-t') + 1] ?? 'ed25519';
        effects.push({ kind: 'write', target: { path: `${command.home}/.ssh/id_${texts.includes('-t') ? type : 'ed25519'}`, glob: false, dot: false }, how });
      }
      break;
    }
    case 'chmod': {
      const { options, operands } = operandsOf(args, '', ['reference']);
      if (options.some((o) => o.startsWith('--reference'))) break;
      // A mode such as -w or -x looks like an option; chmod takes the first one that is not a known option.
      const modeIndex = operands.length ? 0 : -1;
      const modeFromOption = options.find((o) => /^-[rwxXst]+$/.test(o) && !/^-[Rvcf]+$/.test(o));
      const mode = modeFromOption ?? (modeIndex >= 0 ? operands[0].text : '');
      const files = modeFromOption ? operands : operands.slice(1);
      const recursive = hasShort(options.filter((o) => o !== modeFromOption), 'R') || hasLong(options, ['recursive']) || fromFind;
      // Paths found by find (`find . | xargs chmod 777`) are every file below: as good as recursive.
      for (const f of files) push(f, (t) => ({ kind: 'chmod', target: t, mode, recursive: recursive || t.dot, how }));
      break;
    }
    case 'kill':
    case 'pkill':
    case 'killall':
    case 'skill': {
      const texts = args.map((a) => a.text);
      for (let i = 0; i < texts.length; i++) {
        const a = texts[i];
        let signal: string | undefined;
        if (a === '-s' || a === '-n' || a === '--signal') signal = texts[i + 1];
        else if (a.startsWith('--signal=')) signal = a.slice(9);
        else if (/^-s\w+$/.test(a) && name === 'kill') signal = a.slice(2);
        else if (/^-\w+$/.test(a)) signal = a.slice(1);
        // A signal with nothing to send it to only prints usage.
        const next = a === '-s' || a === '-n' || a === '--signal' ? i + 2 : i + 1;
        if (signal && SIGKILL.test(signal) && texts.length > next) {
          const receivers = args.slice(next).filter((f, j) => !(f.text === '--' && j === 0));
          effects.push({ kind: 'signal', signal: 'KILL', how, ownJobs: name === 'kill' && receivers.length > 0 && receivers.every(isOwnJob) });
          break;
        }
        if (a === '--') break;
      }
      break;
    }
    case 'git':
      gitEffects(command, args, effects, how);
      break;
    case 'mkfs':
    case 'mke2fs':
    case 'mkswap':
    case 'mkntfs':
    case 'mkdosfs':
    case 'mkexfatfs':
    case 'blkdiscard':
      for (const f of args) if (!f.dynamic && isBlockDevice(f.text)) effects.push({ kind: 'disk', device: f.text, how });
      break;
    case 'wipefs':
      if (args.some((a) => /^-[a-zA-Z]*[ao]/.test(a.text) || a.text === '--all' || a.text.startsWith('--offset'))) {
        for (const f of args) if (!f.dynamic && isBlockDevice(f.text)) effects.push({ kind: 'disk', device: f.text, how });
      }
      break;
    case 'fdisk':
    case 'cfdisk':
    case 'gdisk':
    case 'sfdisk':
    case 'sgdisk':
    case 'parted': {
      const texts = args.map((a) => a.text);
      const listing = texts.some((t) => /^(-l|--list|-p|--print|-d|--dump|-J|--json|-V|--verify|-i|--info|-v|print|-s\s*print)$/.test(t));
      const destructive = name === 'parted' ? texts.some((t) => /^(mklabel|mktable|mkpart|mkpartfs|rm|resize|resizepart|rescue|set|name)$/.test(t)) || !texts.some((t) => !t.startsWith('-') && !isBlockDevice(t)) : !listing;
      if (destructive && !(name === 'parted' && listing && !texts.some((t) => /^(mklabel|mktable|mkpart|rm|resizepart)$/.test(t)))) {
        for (const t of texts) if (isBlockDevice(t)) effects.push({ kind: 'disk', device: t, how });
      }
      break;
    }
  }
  if (name.startsWith('mkfs.')) for (const f of args) if (!f.dynamic && isBlockDevice(f.text)) effects.push({ kind: 'disk', device: f.text, how });
  // Tools with tables of their own (tool-effects.ts): output files, archives, disk tools, fuser -k, ...
  effects.push(...toolEffects(command, name, args, isBlockDevice));
  // Whatever writes onto a disk device (cp, install, tee ...) destroys what is on it.
  for (let i = 0; i < effects.length; i++) {
    const e = effects[i];
    if (e.kind === 'write' && isBlockDevice(e.target.path)) effects[i] = { kind: 'disk', device: e.target.path, how };
  }
  return withoutDryRunDisks(effects, name, args);
}

/**
 * A target whose unknown parts may all be empty (nothing known follows the last one but `/`, `.` or a wildcard):
 * the tree removal or recursive chmod it would be with them empty, for the `unknown-part` rule to judge.
 */
function unknownPartEffect(field: Field, cwd: string, make: (t: Target) => Effect | null): Effect | null {
  if (!field.dynamic || field.text === '' || !/^[/.*?]*$/.test(field.tail ?? '')) return null;
  const e = make({ path: joinPath(cwd, field.text), glob: field.glob, dot: field.dotGlob === true });
  if (!e) return null;
  if ((e.kind === 'delete' && e.recursive) || e.kind === 'move' || (e.kind === 'chmod' && e.recursive)) return { kind: 'unknown-part', of: e, how: e.how };
  return null;
}

function lit(text: string): Field {
  return { text, dynamic: false, glob: /[*?[]/.test(text) };
}

const TAMPER_VARIABLES = /^(BASH_ENV|ENV|ZDOTDIR|PROMPT_COMMAND|AGENTFIREWALL_[A-Z0-9_]*|AF_[A-Z0-9_]+)$/;
const CODE_LOADING_NODE_OPTIONS = /(^|\s)(-r|--require|--import|--loader|--experimental-loader|--inspect(-brk)?)(=|\s|$)/;

/** Switching off or going around the shell guards: traps, key bindings, BASH_ENV, `zsh -f`, `env -i bash` ... */
const TAMPER_PROGRAMS = new Set(['trap', 'shopt', 'set', 'bind', 'bindkey', 'zle', 'unfunction', 'unset', 'export', 'declare', 'typeset', 'readonly', 'local', 'function']);

function tamperEffects(command: ExecutedCommand, effects: Effect[]): void {
  const program = command.argv.length && !command.argv[0].dynamic ? commandName(command.argv[0].text) : '';
  if (!command.assignments.length && !command.shell && !command.wrapperOptions.length && !TAMPER_PROGRAMS.has(program)) return;
  const tamper = (how: string) => effects.push({ kind: 'tamper', how });
  for (const a of command.assignments) {
    const [name, ...value] = a.text.split('=');
    if (TAMPER_VARIABLES.test(name)) tamper(`assigns ${name}`);
    if (name === 'NODE_OPTIONS' && CODE_LOADING_NODE_OPTIONS.test(value.join('='))) tamper('NODE_OPTIONS loads code into every node process');
  }
  if (command.argv.length === 0 || command.argv[0].dynamic) return;
  const name = commandName(command.argv[0].text);
  const texts = command.argv.slice(1).map((f) => f.text);
  switch (name) {
    case 'trap': {
      if (texts.length === 0 || /^-[lpP]+$/.test(texts[0])) return; // listing traps or signals changes nothing
      const signals = texts.slice(1).map((t) => t.toUpperCase().replace(/^SIG/, ''));
      // `trap - ` alone resets every trap; DEBUG and INT are what the guards use, and under their functrace a
      // RETURN trap would fire for every function. ERR (zsh ZERR) and the rest are the user's, actions judged above.
      if (texts.length === 1 || signals.some((sig) => /^(DEBUG|RETURN|INT|2)$/.test(sig))) tamper('replaces a trap the guards rely on');
      return;
    }
    case 'shopt':
      if (texts.includes('-u') && texts.includes('extdebug')) tamper('switches extdebug off');
      return;
    case 'set':
      if (texts.some((t) => /^\+[a-zA-Z]*T/.test(t)) || texts.join(' ').match(/\+o (functrace|emacs|vi)\b|-o posix\b/)) tamper('switches off an option the guards rely on');
      return;
    case 'bind':
      if (texts.length && !texts.every((t) => /^-[pPlvVsSX]+$/.test(t))) tamper('changes key bindings');
      return;
    case 'bindkey':
      if (texts.length && !texts.every((t) => /^-[lL]$/.test(t))) tamper('changes key bindings');
      return;
    case 'zle':
      if (texts.some((t) => /^-[NDA]/.test(t))) tamper('redefines line-editor widgets');
      return;
    case 'unfunction':
      tamper('removes shell functions');
      return;
    case 'unset':
      if (texts.some((t) => t === '-f')) tamper('removes shell functions');
      if (texts.some((t) => TAMPER_VARIABLES.test(t))) tamper('unsets a variable the guards rely on');
      return;
    case 'export':
    case 'declare':
    case 'typeset':
    case 'readonly':
    case 'local':
      for (const t of texts) {
        const [n, ...v] = t.split('=');
        if (t.includes('=') && TAMPER_VARIABLES.test(n)) tamper(`assigns ${n}`);
        if (n === 'NODE_OPTIONS' && CODE_LOADING_NODE_OPTIONS.test(v.join('='))) tamper('NODE_OPTIONS loads code into every node process');
        // Only `export -n` un-exports; `declare -n`/`local -n`/`typeset -n` make a nameref.
        if (name === 'export' && /^-[a-z]*n$/.test(t)) tamper('changes exported variables');
      }
      return;
    case 'function':
      // TRAPEXIT and the like are trap handlers as `trap … EXIT` sets them; the guards rely on the same few as there.
      if (command.api === 'function definition' && !/^TRAP(?!(DEBUG|RETURN|INT)$)[A-Z]+$/.test(texts[0])) tamper(`defines ${texts[0]}`);
      return;
  }
  const opts = command.wrapperOptions;
  if (opts.some((o) => /^env:(-u=|--unset=)(BASH_ENV|ZDOTDIR|ENV)$/.test(o))) tamper('runs without BASH_ENV/ZDOTDIR');
  if (command.shell) {
    if (opts.some((o) => o === 'env:-i' || o === 'env:--ignore-environment')) tamper('env -i drops the guards from the shell it starts');
    const o = command.shell.options.join(' ');
    if (name === 'bash' && /--posix|(^| )-p( |$)|-o posix|--noediting/.test(o)) tamper(`bash ${o} skips BASH_ENV`);
    if (name === 'zsh' && /(^| )-f( |$)|--no-?rcs|-o no_?rcs|\+o rcs/i.test(o)) tamper(`zsh ${o} skips the startup files`);
    if (command.wrappers.includes('exec') && !command.shell.command) tamper('exec replaces the guarded shell');
  }
}
