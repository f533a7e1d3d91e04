import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command, engineFrom } from './policy-helpers.js';
import { ROOT } from './helpers.js';

// Table-driven: each row of the fixture is decided by the standard preset.
const rows = readFileSync(join(ROOT, 'test/fixtures/engine-commands.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [expectVerdict, rule, cmd, note] = line.split('\t');
    return { expectVerdict, rule, cmd, note };
  });

describe('standard preset: command decisions', () => {
  const engine = engineFrom('standard');
  it.each(rows)('$expectVerdict $cmd ($note)', ({ expectVerdict, rule, cmd }) => {
    const decision = command(engine, cmd);
    expect(decision.verdict).toBe(expectVerdict);
    expect(decision.rule).toBe(rule);
  });
});
