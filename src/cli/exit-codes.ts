import type { Verdict } from '../engine/types.js';

/**
 * The one table of exit codes: 0 allowed (or warned), 1 denied, 2 usage, config or internal error;
 * 3 only with `check --fragment`: the line is incomplete and must be checked again with what follows.
 */
export const EXIT = { ok: 0, denied: 1, error: 2, incomplete: 3 } as const;

export function exitCodeFor(verdict: Verdict): number {
  return verdict === 'deny' ? EXIT.denied : EXIT.ok;
}
