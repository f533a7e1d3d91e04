import type { Decision } from '../engine/types.js';

/**
 * The one line every denial ends with: how a person allows it, as the config entries that switch off each
 * rule that denied it (ids are stable, so the entry keeps working). Nothing for allow and warn.
 */
export function howToAllow(decision: Decision): string | undefined {
  if (decision.verdict !== 'deny') return undefined;
  const ids = [...new Set(decision.matches.filter((m) => m.action === 'deny').map((m) => m.rule))];
  if (ids.length === 0) return undefined;
  // One flow-style YAML line: pasted as is it is a whole `rules:` key; with one there already, its entries join it.
  return `to allow, a person sets in .agentfirewall/config.yaml: rules: [${ids.map((id) => `{id: ${id}, action: off}`).join(', ')}] (action: warn to be told only)`;
}
