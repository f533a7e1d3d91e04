import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from './helpers.js';

// A checkout of a branch without .agentfirewall/config.yaml leaves the ignored runtime directories behind:
// the guards keep the policy the user had, quietly on allowed commands and loudly on denials and in status.
describe('config.yaml gone while .agentfirewall/ stays', () => {
  it('keeps the last good policy, says so with each denial and in status, and nothing with an allowed line', () => {
    const p = tempProject();
    const config = join(p.project, '.agentfirewall/config.yaml');
    // A rule of the user's own, so the last good policy is told apart from the standard preset.
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^rules: \[\]$/m, 'rules:\n  - id: team/no-deploy\n    command: ["make deploy"]'));
    expect(cli(['check', 'make deploy'], { cwd: p.project, home: p.home }).status).toBe(1);
    rmSync(config);

    const allowed = cli(['check', '--fallback', 'ls'], { cwd: p.project, home: p.home });
    expect(allowed.status).toBe(0);
    expect(allowed.stderr).not.toMatch(/standard preset|missing/);

    const denied = cli(['check', '--fallback', 'make deploy'], { cwd: p.project, home: p.home });
    expect(denied.status, denied.stderr).toBe(1);
    expect(denied.stderr).toMatch(/config\.yaml is missing.*last good policy/);
    expect(cli(['check', 'make deploy'], { cwd: p.project, home: p.home }).status).toBe(1);

    const status = cli(['status'], { cwd: p.project, home: p.home });
    expect(status.stdout.split('\n')[0]).toMatch(/^CONFIG MISSING: .*last good policy/);
  }, 60_000);
});
