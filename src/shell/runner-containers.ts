/**
 * Runners that put a command in a container or jail (`docker run`, `bwrap`): their options, and the mounts that
 * tie paths inside to host paths. Pure.
 */
import { joinPath } from './paths.js';
import type { PlanWord, RunnerHop, RunnerPlan } from './runner-model.js';
import { BWRAP_VALUES, DOCKER_RUN_VALUE } from './runner-table.js';

/** A path of a container or jail backed by a host path (`-v /home/dev:/h`), or by nothing of the host (`--tmpfs`). */
export interface Mount {
  /** The path inside. */
  inside: string;
  /** The host path it shows, or null for a named volume, a tmpfs or an anonymous volume. */
  host: string | null;
  readOnly: boolean;
}

/** The indices `from` up to `to`: the runner's own argument words, by position. */
export const indices = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
};


/** `--name=value` into name and value; a short option stays whole. */
export function splitLong(a: string): [string, string | undefined] {
  if (!a.startsWith('--')) return [a, undefined];
  const eq = a.indexOf('=');
  return eq < 0 ? [a, undefined] : [a.slice(0, eq), a.slice(eq + 1)];
}

/** A host path in a mount source: absolute, `~`-expanded already, or relative to the working directory. */
function hostPath(source: string, cwd: string): string | null {
  if (source === '' || !/^[./~]/.test(source)) return null;
  return joinPath(cwd, source);
}

/** `-v SRC:DST[:opts]`: a bind of a host path, or a named or anonymous volume. */
function volume(spec: string, cwd: string): Mount | null {
  const parts = spec.split(':');
  if (parts.length === 1) return { inside: joinPath('/', parts[0]), host: null, readOnly: false };
  const opts = parts.length > 2 ? parts[2].split(',') : [];
  return { inside: joinPath('/', parts[1]), host: hostPath(parts[0], cwd), readOnly: opts.includes('ro') || opts.includes('readonly') };
}

/** `--mount type=bind,source=X,target=Y[,readonly]`. */
function mountOption(spec: string, cwd: string): Mount | null {
  const kv = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    kv.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? 'true' : part.slice(eq + 1));
  }
  const inside = kv.get('target') ?? kv.get('destination') ?? kv.get('dst');
  if (inside === undefined) return null;
  const source = kv.get('source') ?? kv.get('src');
  const bind = (kv.get('type') ?? 'volume') === 'bind';
  const ro = kv.get('readonly') ?? kv.get('ro');
  return { inside: joinPath('/', inside), host: bind && source !== undefined ? hostPath(source, cwd) : null, readOnly: ro === 'true' || ro === '1' };
}

/** `docker|podman run [options] IMAGE [command…]`: the image's command, in a container with the mounts given. */
export function dockerRun(args: string[], cwd: string, done: (p: Omit<RunnerPlan, 'hop'> & { hop?: Partial<RunnerHop> }) => RunnerPlan): RunnerPlan | null {
  const mounts: Mount[] = [];
  let workdir: string | undefined;
  let user: string | undefined;
  let entrypoint: string | undefined;
  let interactive = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    let [name, value] = splitLong(a);
    // `-v/src:/dst`, `-v=/src:/dst` and `-w/app`: a short option with its value glued on.
    if (value === undefined && !a.startsWith('--') && a.length > 2 && DOCKER_RUN_VALUE.has(a.slice(0, 2))) [name, value] = [a.slice(0, 2), a.slice(a[2] === '=' ? 3 : 2)];
    if (value === undefined && DOCKER_RUN_VALUE.has(name)) value = args[++i];
    if (value === undefined) {
      if (name === '--interactive' || (!name.startsWith('--') && name.includes('i'))) interactive = true;
      continue;
    }
    let m: Mount | null = null;
    if (name === '-v' || name === '--volume') m = volume(value, cwd);
    else if (name === '--mount') m = mountOption(value, cwd);
    else if (name === '--tmpfs') m = { inside: joinPath('/', value.split(':')[0]), host: null, readOnly: false };
    else if (name === '-w' || name === '--workdir') workdir = joinPath('/', value);
    else if (name === '-u' || name === '--user') user = value;
    else if (name === '--entrypoint') entrypoint = value;
    if (m) mounts.push(m);
  }
  const image = args[i];
  if (image === undefined) return null;
  const argv: PlanWord[] = [...(entrypoint ? [entrypoint] : []), ...indices(i + 1, args.length)];
  return done({ hop: { mounts, workdir, user, host: image }, argv: argv.length ? argv : undefined, lines: [], readsStdin: false, forwardsStdin: interactive });
}

/** `bwrap [binds…] command…`: binds map host paths into the sandbox as container mounts do. */
export function bwrap(args: string[], cwd: string, done: (p: Omit<RunnerPlan, 'hop'> & { hop?: Partial<RunnerHop> }) => RunnerPlan): RunnerPlan | null {
  const mounts: Mount[] = [];
  let workdir = cwd;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('--')) break;
    const n = BWRAP_VALUES[a] ?? 0;
    const v1 = args[i + 1];
    const v2 = args[i + 2];
    if (/^--(dev-)?bind(-try)?$/.test(a) && v2 !== undefined) mounts.push({ inside: joinPath('/', v2), host: joinPath(cwd, v1), readOnly: false });
    else if (/^--ro-bind(-try)?$/.test(a) && v2 !== undefined) mounts.push({ inside: joinPath('/', v2), host: joinPath(cwd, v1), readOnly: true });
    else if (/^--(tmpfs|dev|proc|mqueue|dir)$/.test(a) && v1 !== undefined) mounts.push({ inside: joinPath('/', v1), host: null, readOnly: false });
    else if (a === '--chdir' && v1 !== undefined) workdir = joinPath('/', v1);
    i += n;
  }
  if (i >= args.length) return null;
  return done({ hop: { mounts, workdir }, argv: indices(i, args.length), lines: [], readsStdin: false, forwardsStdin: true });
}

/** Map a path inside a container or jail to the host path it is, or null when it is the container's own. */
export function hostPathOf(path: string, mounts: readonly Mount[]): string | null {
  let best: Mount | undefined;
  for (const m of mounts) {
    const within = m.inside === '/' || path === m.inside || path.startsWith(`${m.inside}/`);
    // The deepest mount wins; of two at one place, the later one (it is mounted over the first).
    if (within && (!best || m.inside.length >= best.inside.length)) best = m;
  }
  if (!best || best.host === null || best.readOnly) return null;
  const rest = best.inside === '/' ? path : path.slice(best.inside.length);
  return joinPath(best.host, rest.replace(/^\//, '') || '.');
}
