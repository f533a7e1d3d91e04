import type { Detector, Finding } from '../detectors.js';
import { operandsOf, wordsOf } from './pack-words.js';

const finding = (reason: string, subject: string): Finding[] => [{ reason, subject }];

/** The HTTP method of a `gh api` call: `-X DELETE`, `-XDELETE`, `--method DELETE`, `--method=delete`. */
function ghApiMethod(words: string[]): string {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-X' || w === '--method') return (words[i + 1] ?? '').toUpperCase();
    if (w.startsWith('--method=')) return w.slice(9).toUpperCase();
    if (w.startsWith('-X') && w.length > 2) return w.slice(2).toUpperCase();
  }
  return 'GET';
}

/** The endpoint of a `gh api` call: its first operand that is not an option value. */
function ghApiEndpoint(words: string[]): string {
  const valued = new Set(['-X', '--method', '-H', '--header', '-f', '-F', '--field', '--raw-field', '-q', '--jq', '-t', '--template', '--hostname', '--input', '-p', '--preview', '--cache']);
  for (let i = 2; i < words.length; i++) {
    if (valued.has(words[i])) i++;
    else if (!words[i].startsWith('-')) return words[i].replace(/^\/+/, '');
  }
  return '';
}

// Package publishing: the program, the sub-command words, and what in the line makes it a rehearsal.
const DRY_RUN = new Set(['--dry-run', '--dryrun']);

// Options of npm-style clients that take their value as the next word (`npm --tag next publish`).
const VALUED = new Set(['--tag', '--registry', '--otp', '--access', '--workspace', '-w', '--userconfig', '--index', '--repository', '--token', '--filter', '-C', '--dir']);

function publishOf(all: string[]): string | null {
  // `python -m twine upload`: the module is the tool.
  const words = /^python[0-9.]*$/.test(all[0]) && all[1] === '-m' ? all.slice(2) : all;
  const [tool] = words;
  const ops = operandsOf(words.slice(1).filter((w, i, a) => !VALUED.has(a[i - 1] ?? '')));
  const dry = words.some((w) => DRY_RUN.has(w) || w.startsWith('--dry-run='));
  if (dry) return null;
  switch (tool) {
    case 'npm':
    case 'pnpm':
      if (ops[0] === 'publish') return `${tool} publish`;
      if (tool === 'npm' && ops[0] === 'unpublish') return 'npm unpublish';
      return null;
    case 'yarn':
      if (ops[0] === 'publish') return 'yarn publish';
      if (ops[0] === 'npm' && ops[1] === 'publish') return 'yarn npm publish';
      return null;
    case 'bun':
      return ops[0] === 'publish' ? 'bun publish' : null;
    case 'cargo':
      if (ops[0] === 'publish' && !words.includes('-n')) return 'cargo publish';
      if (ops[0] === 'yank') return 'cargo yank';
      return null;
    case 'twine':
      return ops[0] === 'upload' ? 'twine upload' : null;
    case 'gem':
      return ops[0] === 'push' || ops[0] === 'yank' ? `gem ${ops[0]}` : null;
    case 'poetry':
      return ops[0] === 'publish' ? 'poetry publish' : null;
    case 'uv':
      return ops[0] === 'publish' ? 'uv publish' : null;
    default:
      return null;
  }
}

/** Forges and package registries: deleting repositories and releases, publishing packages (`forge/*`, `publish/*`). */
export const FORGE_DETECTORS: readonly Detector[] = [
  {
    name: 'forge-repo-delete',
    description: 'deleting a repository on a forge (gh repo delete, glab repo delete, gh api -X DELETE repos/o/r)',
    programs: ['gh', 'glab'],
    find(facts) {
      const words = wordsOf(facts.command);
      const ops = operandsOf(words.slice(1));
      if ((ops[0] === 'repo' || (words[0] === 'glab' && ops[0] === 'project')) && (ops[1] === 'delete' || ops[1] === 'rm')) return finding(`${words[0]} repo delete ${ops[2] ?? '(current repository)'}`, ops[2] ?? 'repository');
      if (ops[0] === 'api' && ghApiMethod(words) === 'DELETE') {
        const endpoint = ghApiEndpoint(words);
        if (/^repos\/[^/]+\/[^/]+\/?$/.test(endpoint) || /^projects\/[^/]+\/?$/.test(endpoint)) return finding(`${words[0]} api DELETE ${endpoint} deletes the repository`, endpoint);
      }
      return [];
    },
  },
  {
    name: 'forge-release-delete',
    description: 'deleting a release on a forge (gh release delete, glab release delete)',
    programs: ['gh', 'glab'],
    find(facts) {
      const words = wordsOf(facts.command);
      const ops = operandsOf(words.slice(1));
      if (ops[0] === 'release' && ops[1] === 'delete') return finding(`${words[0]} release delete ${ops[2] ?? ''}`.trim(), ops[2] ?? 'release');
      if (ops[0] === 'api' && ghApiMethod(words) === 'DELETE' && /^repos\/[^/]+\/[^/]+\/releases\//.test(ghApiEndpoint(words))) return finding(`${words[0]} api DELETE ${ghApiEndpoint(words)} deletes a release`, ghApiEndpoint(words));
      return [];
    },
  },
  {
    name: 'publish-package',
    description: 'publishing or withdrawing a package on a registry (npm publish, cargo publish, twine upload, gem push ...)',
    programs: ['npm', 'pnpm', 'yarn', 'bun', 'cargo', 'twine', 'gem', 'poetry', 'uv', 'python', 'python3'],
    find(facts) {
      const what = publishOf(wordsOf(facts.command));
      return what ? finding(`${what} publishes to a public registry`, what) : [];
    },
  },
];
