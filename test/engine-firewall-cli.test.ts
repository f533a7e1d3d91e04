import { describe, expect, it } from 'vitest';
import { command, engineFrom, HOME, PROJECT } from './policy-helpers.js';

// The firewall's own CLI as a program: its switch-off subcommands are a person's, not an agent's.
describe('tamper/firewall', () => {
  const engine = engineFrom('standard');
  const typed = (line: string) => engine.decide({ type: 'command', command: line, cwd: PROJECT, home: HOME, interactive: true });

  it.each([
    'agentfirewall unprotect --remove-config',
    'agentfirewall protect --force --preset permissive',
    'agentfirewall install-hooks --agent claude',
    'sudo agentfirewall serve',
    'nohup agentfirewall watch &',
    'npx -y agentfirewall@latest uninstall-hooks',
    'node --no-warnings /opt/lib/node_modules/agentfirewall/bin/agentfirewall.js unprotect',
    'sub=unprotect; agentfirewall "$sub"',
    `python3 -c "import subprocess; subprocess.run(['agentfirewall', 'unprotect'])"`,
  ])('%s is denied for an agent, allowed when a person types it', (line) => {
    expect(command(engine, line)).toMatchObject({ verdict: 'deny', rule: 'tamper/firewall' });
    expect(typed(line).matches.map((m) => m.rule)).not.toContain('tamper/firewall');
  });

  it.each(['agentfirewall status --json', 'agentfirewall check "rm -rf /"', 'agentfirewall doctor', 'agentfirewall log -f', 'agentfirewall init --help', 'agentfirewall help unprotect', 'agentfirewall shell-env', "ssh build-host 'agentfirewall unprotect'"])(
    '%s is not tampering',
    (line) => {
      expect(command(engine, line).matches.map((m) => m.rule)).not.toContain('tamper/firewall');
    },
  );
});
