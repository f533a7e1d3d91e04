import { describe, expect, it } from 'vitest';
import { command, engineFrom } from './policy-helpers.js';

// The presets' stance on the orm/forge/publish/sys packs and what explain shows of a match.
describe('forge, publishing, ORM and machine packs', () => {
  const standard = engineFrom('standard');
  const strict = engineFrom('strict');

  it('warns on publishing in standard and denies it in strict', () => {
    expect(command(standard, 'npm publish').verdict).toBe('warn');
    const d = command(strict, 'npm publish');
    expect(d.verdict).toBe('deny');
    expect(d.matches.map((m) => m.rule)).toContain('publish/package');
  });

  it('leaves a rehearsal without any match', () => {
    expect(command(standard, 'npm publish --dry-run').matches.map((m) => m.rule)).not.toContain('publish/package');
    expect(command(strict, 'cargo publish --dry-run').verdict).not.toBe('deny');
  });

  it('names what matched in the reason', () => {
    expect(command(standard, 'npx prisma migrate reset --force').reason).toContain('prisma migrate reset');
    expect(command(standard, 'gh api -X DELETE repos/acme/app').reason).toContain('repos/acme/app');
    expect(command(standard, 'sudo iptables -t nat -F').reason).toContain('iptables');
  });
});
