import type { Verdict } from '../engine/types.js';

/** The one table of exit codes: 0 allowed (or warned), 1 denied, 2 usage, config or internal error. */
export const EXIT = { ok: 0, denied: 1, error: 2 } as const;

export function exitCodeFor(verdict: Verdict): number {
  return verdict === 'deny' ? EXIT.denied : EXIT.ok;
}
