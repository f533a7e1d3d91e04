/**
 * Files that tools write besides the shell's own redirections: output options (`sort -o`, `openssl -out`,
 * `gpg --output`, `curl -o`, glued or clustered), output operands (`uniq IN OUT`, `sponge F`), editors (`patch`,
 * `ed`, `ex`), archives extracted (`tar -x`, `unzip`), splitters and `find -fprint`. The path rules then judge them.
 */
import { editorRun, editorWrites, isLineEditor } from '../shell/editor-commands.js';
import type { Field } from '../shell/expand.js';
import type { ExecutedCommand } from '../shell/interpret.js';
import { joinPath } from '../shell/paths.js';
import { sedEffects, sedScripts } from '../shell/sed-script.js';
import type { Effect, Target } from './effects.js';
import { hasOption, literalTarget, parseArgs, pathOf, valuesOf, type ArgSpec } from './tool-args.js';

/** Per tool: which options take a value, and which of them name a file the tool writes. */
const OUTPUT_OPTIONS = new Map<string, ArgSpec & { writes: string[] }>(Object.entries({
  sort: { short: 'okStT', long: ['output', 'key', 'buffer-size', 'field-separator', 'temporary-directory', 'files0-from', 'parallel', 'batch-size', 'compress-program', 'random-source'], writes: ['o', 'output'] },
  openssl: { words: ['-out', '-keyout', '--out', '-in', '-inkey', '-passin', '-passout', '-pass', '-algorithm', '-pkeyopt', '-subj', '-days', '-newkey', '-config', '-key', '-CA', '-CAkey', '-signkey', '-certfile', '-name'], writes: ['-out', '-keyout', '--out'] },
  gpg: { short: 'ourRzN', long: ['output', 'recipient', 'local-user', 'homedir', 'keyring', 'default-key', 'passphrase', 'passphrase-file', 'cipher-algo', 'digest-algo', 'trust-model', 'keyserver'], writes: ['o', 'output'] },
  gpg2: { short: 'ourRzN', long: ['output', 'recipient', 'local-user', 'homedir'], writes: ['o', 'output'] },
  curl: { short: 'AbcCdDeEFHKmoPQrtTuUwxXyYz', long: ['output', 'data', 'header', 'user', 'request', 'cookie', 'cookie-jar', 'dump-header', 'config', 'form', 'user-agent', 'referer', 'proxy', 'cert', 'key', 'url', 'write-out'], writes: ['o', 'output', 'c', 'cookie-jar', 'D', 'dump-header'] },
  wget: { short: 'OoaDeiIlPQtTUwYBARX', long: ['output-document', 'output-file', 'append-output', 'directory-prefix', 'user-agent', 'header', 'tries', 'timeout'], writes: ['O', 'output-document', 'o', 'output-file', 'a', 'append-output'] },
  patch: { short: 'oipBbdDFrVYzg', long: ['output', 'input', 'strip', 'prefix', 'directory', 'ifdef', 'fuzz', 'reject-file', 'version-control', 'basename-prefix', 'suffix', 'get'], writes: ['o', 'output', 'r', 'reject-file'] },
  split: { short: 'abClnt', long: ['suffix-length', 'additional-suffix', 'bytes', 'line-bytes', 'lines', 'number', 'separator', 'filter', 'numeric-suffixes', 'hex-suffixes'], writes: [] },
  csplit: { short: 'fbn', long: ['prefix', 'suffix-format', 'digits'], writes: [] },
  uniq: { short: 'fsw', long: ['skip-fields', 'skip-chars', 'check-chars'], writes: [] },
}));

const TAR_SHORT_VALUES = 'fCbTXgKNVLFHI';
const TAR_LONG_VALUES = ['file', 'directory', 'exclude', 'files-from', 'exclude-from', 'use-compress-program', 'format', 'owner', 'group', 'mode', 'mtime', 'transform', 'strip-components', 'newer', 'label', 'blocking-factor', 'to-command', 'xform', 'index-file'];

/** Names a unified diff changes (`+++ b/x`, `--- a/x`), with `-p N` leading components stripped (none given: the base name). */
function patchedFiles(diff: string, strip: number | undefined): string[] {
  const out = new Set<string>();
  for (const line of diff.split('\n')) {
    const m = /^(\+\+\+|---) (\S+)/.exec(line);
    if (!m || m[2] === '/dev/null') continue;
    const parts = m[2].split('/');
    out.add(strip === undefined ? parts[parts.length - 1] : parts.slice(Math.min(strip, parts.length - 1)).join('/'));
  }
  return [...out];
}

/** Text on the command's standard input, when known (a here-string, or what a known command pipes in). */
function stdinText(command: ExecutedCommand): string | undefined {
  if (command.stdinText) return command.stdinText.dynamic ? undefined : command.stdinText.text;
  return command.stdinFrom?.output;
}

/** Every file one command writes through the tools above. */
export function toolWrites(command: ExecutedCommand, name: string, args: readonly Field[]): Effect[] {
  const cwd = command.cwd;
  const out: Effect[] = [];
  const how = name;
  const write = (t: Target | null, extra: Partial<Extract<Effect, { kind: 'write' }>> = {}) => {
    if (t) out.push({ kind: 'write', target: t, how, ...extra });
  };
  // A Map, not an object: a program called `constructor` must not find Object's own properties.
  const spec = OUTPUT_OPTIONS.get(name);
  const parsed = spec ? parseArgs(args, spec) : undefined;
  if (spec && parsed) for (const v of valuesOf(parsed.options, ...spec.writes)) write(pathOf(v, cwd));
  switch (name) {
    case 'sponge':
      write(pathOf(parseArgs(args, {}).operands[0], cwd));
      break;
    case 'uniq':
      write(pathOf(parsed!.operands[1], cwd));
      break;
    case 'gpg':
    case 'gpg2':
      // --decrypt-files F.gpg writes F.
      if (hasOption(parsed!.options, 'decrypt-files')) for (const f of parsed!.operands) write(pathOf({ ...f, text: f.text.replace(/\.(gpg|asc|pgp)$/, '') }, cwd));
      break;
    case 'patch': {
      const { options, operands } = parsed!;
      if (hasOption(options, 'o', 'output', 'dry-run') || hasOption(options, 'C')) break;
      const dirField = valuesOf(options, 'd', 'directory')[0];
      const dir = dirField && !dirField.dynamic ? joinPath(cwd, dirField.text) : cwd;
      if (operands[0]) write(pathOf(operands[0], dir));
      else {
        const stripField = valuesOf(options, 'p', 'strip')[0];
        const diff = valuesOf(options, 'i', 'input').length ? undefined : stdinText(command);
        if (diff !== undefined) for (const f of patchedFiles(diff, stripField ? Number.parseInt(stripField.text, 10) || 0 : undefined)) write(literalTarget(dir, f));
      }
      break;
    }
    case 'split':
    case 'csplit': {
      const { options, operands } = parsed!;
      const prefix = name === 'split' ? operands[1] : valuesOf(options, 'f', 'prefix')[0];
      const text = prefix ? (prefix.dynamic ? undefined : prefix.text) : name === 'split' ? 'x' : 'xx';
      if (text !== undefined) write(literalTarget(cwd, `${text.replace(/[*?[\]]/g, '\\$&')}*`, true, true));
      break;
    }
    case 'find':
      for (let i = 0; i < args.length - 1; i++) if (/^-f(print0?|printf|ls)$/.test(args[i].text)) write(pathOf(args[i + 1], cwd));
      break;
    case 'sed':
    case 'gsed':
      // `w FILE` in the script, and the `w` flag of `s`.
      for (const script of sedScripts(args.map((a) => a.text)).scripts) for (const f of sedEffects(script).writes) if (!/^\/dev\/std(out|err)$/.test(f)) write(literalTarget(cwd, f));
      break;
    case 'tar':
    case 'bsdtar':
    case 'gtar':
      tarWrites(args, cwd, write);
      break;
    case 'unzip':
      unzipWrites(args, cwd, write);
      break;
    case 'visudo':
    case 'vipw':
    case 'vigr': {
      const texts = args.map((a) => a.text);
      if (texts.some((t) => /^-[a-z]*c/.test(t) || t === '--check')) break;
      const file = valuesOf(parseArgs(args, { short: 'f', long: ['file'] }).options, 'f', 'file')[0];
      const shadow = texts.includes('-s') || texts.includes('--shadow');
      write(file ? pathOf(file, cwd) : literalTarget('/', name === 'visudo' ? '/etc/sudoers' : name === 'vipw' ? (shadow ? '/etc/shadow' : '/etc/passwd') : shadow ? '/etc/gshadow' : '/etc/group'));
      break;
    }
    default: {
      if (!isLineEditor(name)) break;
      const run = editorRun(name, args.map((a) => a.text), stdinText(command), command.stdinFrom !== undefined || command.redirects.some((r) => r.op === '<'));
      if (run && editorWrites(run)) for (const f of run.files) write(literalTarget(cwd, f));
    }
  }
  return out;
}

/** `tar -x`: the members named, or everything under the directory it extracts into (-C, else the working directory). */
function tarWrites(args: readonly Field[], cwd: string, write: (t: Target | null, extra?: { noClobber?: boolean }) => void): void {
  let rest = args;
  let oldStyle = '';
  // Old-style first word (`tar xzf a.tgz`): letters without a dash, whose values follow in order.
  if (args[0] && !args[0].text.startsWith('-') && /^[a-zA-Z]+$/.test(args[0].text)) {
    oldStyle = args[0].text;
    const valueLetters = [...oldStyle].filter((c) => TAR_SHORT_VALUES.includes(c));
    const spelled: Field[] = [];
    valueLetters.forEach((c, i) => {
      spelled.push({ text: `-${c}`, dynamic: false, glob: false });
      if (args[1 + i]) spelled.push(args[1 + i]);
    });
    rest = [...spelled, ...args.slice(1 + valueLetters.length)];
  }
  const { options, operands } = parseArgs(rest, { short: TAR_SHORT_VALUES, long: TAR_LONG_VALUES });
  const letters = oldStyle + options.filter((o) => o.name.length === 1).map((o) => o.name).join('');
  const extracting = /x/.test(letters) || hasOption(options, 'extract', 'get');
  if (!extracting || /[tO]/.test(letters) || hasOption(options, 'list', 'to-stdout', 'to-command')) return;
  const dirField = valuesOf(options, 'C', 'directory').pop();
  if (dirField?.dynamic) return;
  const dir = dirField ? joinPath(cwd, dirField.text) : cwd;
  const noClobber = /k/.test(letters) || hasOption(options, 'keep-old-files', 'skip-old-files');
  if (operands.length) for (const m of operands) write(pathOf(m, dir), { noClobber });
  else write(literalTarget(dir, '*', true, false), { noClobber });
}

/** `unzip ZIP [MEMBERS] [-x EXCLUDED] [-d DIR]`: the members, or everything under DIR. Listing and testing write nothing. */
function unzipWrites(args: readonly Field[], cwd: string, write: (t: Target | null, extra?: { noClobber?: boolean }) => void): void {
  let dir = cwd;
  let flags = '';
  const operands: Field[] = [];
  let excluding = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i].text;
    if (a === '-d') {
      const d = args[++i];
      if (!d || d.dynamic) return;
      dir = joinPath(cwd, d.text);
    } else if (a.startsWith('-d') && a.length > 2 && !a.startsWith('--')) dir = joinPath(cwd, a.slice(2));
    else if (a === '-x') excluding = true;
    else if (/^-[a-zA-Z$:^/]+$/.test(a)) flags += a.slice(1);
    else if (!excluding) operands.push(args[i]);
  }
  if (/[lvtcpzZ]/.test(flags) || operands.length === 0) return;
  const noClobber = flags.includes('n');
  const members = operands.slice(1);
  if (members.length) for (const m of members) write(pathOf(m, dir), { noClobber });
  else write(literalTarget(dir, '*', true, false), { noClobber });
}
