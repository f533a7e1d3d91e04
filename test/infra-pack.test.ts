import { describe, expect, it } from 'vitest';
import { flagSet, optionValue, readCli, type CliSpec } from '../src/engine/packs/infra-cli.js';
import { command, engineFrom } from './policy-helpers.js';

const fields = (line: string) => line.split(' ').map((text) => ({ text, dynamic: false, glob: false }));

describe('readCli', () => {
  const kubectl: CliSpec = { short: 'n', long: ['context', 'kubeconfig', 'namespace'] };

  it('finds the subcommand path wherever global options stand', () => {
    for (const args of ['--context prod -n web delete ns x', 'delete --context=prod ns x -nweb', '-n web delete ns --kubeconfig=/k x --context prod']) {
      const line = readCli(fields(args), kubectl);
      expect(line.words).toEqual(['delete', 'ns', 'x']);
      expect(optionValue(line, 'context') ?? 'prod').toBe('prod');
      expect(optionValue(line, 'namespace', 'n') ?? 'web').toBe('web');
    }
  });

  it('reads bundled short flags, `=false` and `--`', () => {
    const line = readCli(fields('system prune -af --volumes=false -- x'), {});
    expect(line.words).toEqual(['system', 'prune', 'x']);
    expect(flagSet(line, 'a') && flagSet(line, 'f')).toBe(true);
    expect(flagSet(line, 'volumes')).toBe(false);
  });

  it('reads single-dash words the Go way when told', () => {
    const line = readCli(fields('-chdir=infra apply -destroy -var k=v'), { singleDashWords: true, long: ['var'] });
    expect(line.words).toEqual(['apply']);
    expect(optionValue(line, 'chdir')).toBe('infra');
    expect(flagSet(line, 'destroy')).toBe(true);
  });

  it('gives an option a value only below the path that defines it', () => {
    const spec: CliSpec = { below: { compose: { short: 'f' } } };
    expect(readCli(fields('compose -f a.yml down -v'), spec).words).toEqual(['compose', 'down']);
    expect(flagSet(readCli(fields('system prune -af --volumes'), spec), 'volumes')).toBe(true);
  });
});

describe('infrastructure rules name what matched', () => {
  const engine = engineFrom('standard');
  const cases: [string, string, RegExp][] = [
    ['terraform -chdir=infra/prod destroy -auto-approve', 'iac/destroy', /in infra\/prod/],
    ['kubectl --context prod delete ns payments', 'k8s/delete-namespace', /namespace payments.*context prod/],
    ['helm -n prod uninstall api', 'k8s/helm-uninstall', /api.*namespace prod/],
    ['aws --profile prod s3 rm s3://data --recursive', 'cloud/s3-delete', /s3:\/\/data.*profile prod/],
    ['aws dynamodb delete-table --table-name users', 'cloud/delete', /delete-table users/],
    ['docker compose -p shop down -v', 'container/volumes', /project shop/],
  ];
  it.each(cases)('%s', (line, rule, reason) => {
    const d = command(engine, line);
    expect(d.verdict).toBe('deny');
    expect(d.rule).toBe(rule);
    expect(d.reason).toMatch(reason);
  });

  it('warns on a prune that keeps volumes', () => {
    const d = command(engine, 'docker system prune -af');
    expect(d.verdict).toBe('warn');
    expect(d.rule).toBe('container/prune');
  });
});
