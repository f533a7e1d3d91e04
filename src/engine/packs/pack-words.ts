/** Word helpers shared by the ORM, forge and machine packs. */
import type { ExecutedCommand } from '../../shell/interpret.js';

/** The command's words, argv[0] without its directory. */
export function wordsOf(command: ExecutedCommand): string[] {
  const words = command.argv.map((f) => f.text);
  if (words.length) words[0] = words[0].slice(words[0].lastIndexOf('/') + 1);
  return words;
}

/** Package-manager shorthands that run a project binary: `pnpm prisma …`, `yarn prisma …` (not unwrapped upstream). */
export function peelPackageRunner(words: string[], tools: ReadonlySet<string>): string[] {
  if ((words[0] === 'pnpm' || words[0] === 'yarn') && words[1] && tools.has(words[1])) return words.slice(1);
  return words;
}

/** The words that are not options. */
export const operandsOf = (words: readonly string[]) => words.filter((w) => !w.startsWith('-'));
