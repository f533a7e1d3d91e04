import type { CommandFacts, Detector, Finding } from '../detectors.js';
import { asksHelp, dryRun, flagSet, found, optionValue, programOf, readCli, scopeOf, type CliLine, type CliSpec } from './infra-cli.js';

// kubectl's global and delete options that take a value (pflag: `--opt value`, `--opt=value`, `-n value`, `-nvalue`).
const KUBECTL: CliSpec = {
  short: 'nslfokLcpv',
  long: ['context', 'cluster', 'user', 'namespace', 'kubeconfig', 'server', 'token', 'as', 'as-group', 'as-uid', 'certificate-authority', 'client-certificate', 'client-key', 'request-timeout', 'tls-server-name', 'cache-dir', 'password', 'username', 'profile', 'profile-output', 'log-file', 'v', 'vmodule', 'output', 'selector', 'field-selector', 'filename', 'kustomize', 'grace-period', 'timeout', 'pod-selector', 'chunk-size', 'container'],
};
const HELM: CliSpec = { short: 'n', long: ['namespace', 'kube-context', 'kubeconfig', 'kube-apiserver', 'kube-as-user', 'kube-as-group', 'kube-ca-file', 'kube-token', 'registry-config', 'repository-cache', 'repository-config', 'burst-limit', 'timeout', 'cascade', 'description', 'output', 'o'] };

const HELMFILE: CliSpec = { short: 'efnl', long: ['environment', 'file', 'namespace', 'selector', 'kube-context', 'state-values-file', 'state-values-set', 'chart', 'log-level'] };
const NAMESPACE_KINDS = new Set(['ns', 'namespace', 'namespaces']);
const VOLUME_KINDS = new Set(['pv', 'pvc', 'persistentvolume', 'persistentvolumes', 'persistentvolumeclaim', 'persistentvolumeclaims']);
const KUBECTL_PROGRAMS = ['kubectl', 'oc', 'kubecolor', 'microk8s', 'k3s', 'minikube'];

/** The kubectl line of a command, with the `kubectl` of `microk8s kubectl`, `k3s kubectl`, `minikube kubectl --` taken off. */
function kubectlLine(facts: CommandFacts): CliLine | null {
  const program = programOf(facts);
  let args = facts.command.argv.slice(1);
  if (program === 'microk8s' || program === 'k3s' || program === 'minikube') {
    if (args[0]?.text !== 'kubectl' && args[0]?.text !== 'microk8s.kubectl') return null;
    args = args.slice(1);
  }
  return readCli(args, KUBECTL);
}

/** The kinds a `kubectl delete` names: `ns,pvc x y`, `ns/x pvc/y`, and a kind's group suffix dropped (`namespaces.v1`). */
function deletedKinds(words: readonly string[]): { kinds: string[]; names: string[] } {
  const slashed = words.filter((w) => w.includes('/'));
  if (slashed.length) return { kinds: slashed.map((w) => w.slice(0, w.indexOf('/'))), names: slashed.map((w) => w.slice(w.indexOf('/') + 1)) };
  const [kindList = '', ...names] = words;
  return { kinds: kindList.split(',').filter(Boolean), names };
}

/** The kinds of a manifest given on stdin (`-f -` fed a here-string, heredoc or known pipe output); none when unknown. */
function manifestKinds(facts: CommandFacts, line: CliLine): string[] {
  if (optionValue(line, 'filename', 'f') !== '-') return [];
  const text = facts.command.stdinText?.text ?? facts.command.stdinFrom?.output ?? '';
  return [...text.matchAll(/^\s*kind:\s*["']?(\w+)/gm)].map((m) => m[1]);
}

// Programs that pass a listing on while keeping its lines (`kubectl get ns -o name | grep preview | xargs …`).
const LINE_FILTERS = new Set(['grep', 'egrep', 'rg', 'head', 'tail', 'sort', 'uniq', 'sed', 'awk', 'cut', 'tr']);

/** For `… | xargs kubectl delete`: the kinds the `kubectl get` at the head of the pipe lists, through line filters. */
function xargsKinds(facts: CommandFacts): string[] {
  if (facts.command.via.at(-1) !== 'xargs') return [];
  let producer = facts.command.stdinFrom;
  for (let hops = 0; producer && hops < 8 && LINE_FILTERS.has(producer.argv[0]?.text ?? ''); hops++) producer = producer.stdinFrom;
  if (!producer || !KUBECTL_PROGRAMS.includes(producer.argv[0]?.text.replace(/^.*\//, '') ?? '')) return [];
  const listing = readCli(producer.argv.slice(1), KUBECTL);
  return listing.words[0] === 'get' ? deletedKinds(listing.words.slice(1)).kinds : [];
}

const kindOf = (k: string) => k.toLowerCase().replace(/\..*$/, '');
const SCOPE: [string, ...string[]][] = [['context', 'context'], ['cluster', 'cluster'], ['namespace', 'namespace', 'n']];

/** Findings for one kubectl delete: which rule's detector asked decides what it looks at. */
function kubectlDelete(facts: CommandFacts, what: 'namespace' | 'all' | 'volumes' | 'drain'): Finding[] {
  const line = kubectlLine(facts);
  if (!line || asksHelp(line) || dryRun(line)) return [];
  const [verb, ...rest] = line.words;
  const scope = scopeOf(line, SCOPE);
  if (what === 'drain') return verb === 'drain' ? [found(facts, `kubectl drain ${rest[0] ?? ''} evicts every pod of the node${scope}`)] : [];
  if (verb !== 'delete') return [];
  const { kinds, names } = deletedKinds(rest);
  kinds.push(...manifestKinds(facts, line), ...xargsKinds(facts));
  if (what === 'all') {
    const everywhere = flagSet(line, 'all-namespaces', 'A');
    if (!flagSet(line, 'all') && !everywhere) return [];
    return [found(facts, `kubectl delete ${kinds.join(',') || 'resources'} ${everywhere ? 'in every namespace' : '--all'}${scope}`)];
  }
  const wanted = what === 'namespace' ? NAMESPACE_KINDS : VOLUME_KINDS;
  const hit = kinds.filter((k) => wanted.has(kindOf(k)));
  if (!hit.length) return [];
  const label = what === 'namespace' ? 'namespace' : 'persistent volume';
  const named = names.filter(Boolean);
  const target = named.length ? `${label} ${named.join(', ')}` : flagSet(line, 'all') ? `every ${label}` : `${label}s`;
  return [found(facts, `kubectl delete ${target} deletes everything ${what === 'namespace' ? 'in it' : 'stored on it'}${scope}`)];
}

const HELM_UNINSTALL = new Set(['uninstall', 'delete', 'del', 'un']);

/** `k8s-…` detectors: cluster-wide or data-holding deletes through kubectl, and helm uninstall. */
export const K8S_DETECTORS: readonly Detector[] = [
  { name: 'k8s-delete-namespace', description: 'kubectl delete of a namespace (ns, namespace, ns/x)', programs: KUBECTL_PROGRAMS, find: (f) => kubectlDelete(f, 'namespace') },
  { name: 'k8s-delete-all', description: 'kubectl delete with --all, -A or --all-namespaces', programs: KUBECTL_PROGRAMS, find: (f) => kubectlDelete(f, 'all') },
  { name: 'k8s-delete-volumes', description: 'kubectl delete of persistent volumes or claims (pv, pvc)', programs: KUBECTL_PROGRAMS, find: (f) => kubectlDelete(f, 'volumes') },
  { name: 'k8s-drain', description: 'kubectl drain of a node', programs: KUBECTL_PROGRAMS, find: (f) => kubectlDelete(f, 'drain') },
  {
    name: 'k8s-helm-uninstall',
    description: 'helm uninstall (delete, del, un) of a release',
    programs: ['helm'],
    find: (facts) => {
      const line = readCli(facts.command.argv.slice(1), HELM);
      if (!HELM_UNINSTALL.has(line.words[0] ?? '') || asksHelp(line) || dryRun(line)) return [];
      const releases = line.words.slice(1).join(', ') || 'a release';
      return [found(facts, `helm ${line.words[0]} ${releases} deletes the release's resources${scopeOf(line, [['context', 'kube-context'], ['namespace', 'namespace', 'n']])}`)];
    },
  },
  {
    name: 'k8s-helmfile-destroy',
    description: 'helmfile destroy or delete: every release of the helmfile',
    programs: ['helmfile'],
    find: (facts) => {
      const line = readCli(facts.command.argv.slice(1), HELMFILE);
      const verb = line.words[0] ?? '';
      if ((verb !== 'destroy' && verb !== 'delete') || asksHelp(line)) return [];
      return [found(facts, `helmfile ${verb} uninstalls every release of the helmfile${scopeOf(line, [['environment', 'environment', 'e'], ['file', 'file', 'f'], ['context', 'kube-context']])}`)];
    },
  },
];
