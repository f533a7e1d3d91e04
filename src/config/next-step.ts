import type { Decision } from '../engine/types.js';

/**
 * The one line every denial ends with: how a person allows it, as the config entries that switch off each
 * rule that denied it (ids are stable, so the entry keeps working). Nothing for allow and warn.
 */
export function howToAllow(decision: Decision): string | undefined {
  if (decision.verdict !== 'deny') return undefined;
  const ids = [...new Set(decision.matches.filter((m) => m.action === 'deny').map((m) => m.rule))];
  if (ids.length === 0) return undefined;
  const entries = ids.map((id) => `{id: ${id}, action: off}`);
  return `to allow: add ${entries.join(', ')} to the rules: list in .agentfirewall/config.yaml, e.g. rules: [${entries.join(', ')}]`;
}
