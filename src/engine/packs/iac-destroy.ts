import type { CommandFacts, Detector, Finding } from '../detectors.js';
import { flagSet, found, optionValue, programOf, readCli, scopeOf, type CliSpec } from './infra-cli.js';

// Terraform and OpenTofu read options the Go way: `-chdir=dir`, `-destroy`, `--destroy`, `-var k=v`.
const TERRAFORM: CliSpec = { singleDashWords: true, long: ['chdir', 'var', 'var-file', 'target', 'replace', 'out', 'state', 'state-out', 'backup', 'lock-timeout', 'parallelism', 'refresh', 'lock', 'input'] };
const PULUMI: CliSpec = { short: 'sC', long: ['stack', 'cwd', 'config-file', 'target', 'color', 'logflow', 'verbose', 'tracing', 'parallel', 'message', 'exec-kind', 'secrets-provider'] };
const CDK: CliSpec = { short: 'acp', long: ['app', 'context', 'profile', 'output', 'role-arn', 'plugin', 'ca-bundle-path', 'proxy', 'toolkit-stack-name', 'c'] };
const SERVERLESS: CliSpec = { short: 'scr', long: ['stage', 'config', 'region', 'aws-profile', 'app', 'org', 'param'] };
const SAM: CliSpec = { long: ['stack-name', 'region', 'profile', 'config-file', 'config-env', 's3-bucket', 's3-prefix'] };

/** What a terraform-style line destroys: the whole state, a record of it, or a workspace. */
function terraformDestroys(program: string, args: CommandFacts['command']['argv']): string | null {
  const line = readCli(args, TERRAFORM);
  const [verb, sub] = line.words;
  const where = scopeOf(line, [['in', 'chdir']]);
  // terragrunt runs the same verbs across modules: `terragrunt run-all destroy`, `terragrunt run -- destroy`.
  if (program === 'terragrunt' && (verb === 'run-all' || verb === 'run')) return terraformDestroys('terraform', args.filter((f) => f.text !== verb && f.text !== '--'));
  if (verb === 'destroy') return `${program} destroy deletes every resource the configuration manages${where}`;
  if (verb === 'apply' && flagSet(line, 'destroy')) return `${program} apply -destroy deletes every resource the configuration manages${where}`;
  if (verb === 'state' && (sub === 'rm' || sub === 'remove')) return `${program} state rm ${line.words.slice(2).join(' ')} forgets resources, which then leak or are recreated${where}`;
  if (verb === 'workspace' && (sub === 'delete' || sub === 'rm')) return `${program} workspace delete ${line.words[2] ?? ''} drops a workspace and its state${where}`.replace(/  +/g, ' ');
  return null;
}

function pulumiDestroys(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), PULUMI);
  const [verb, sub] = line.words;
  const stack = scopeOf(line, [['stack', 'stack', 's'], ['in', 'cwd', 'C']]);
  if (verb === 'destroy' || verb === 'down' || verb === 'dn') return `pulumi ${verb} deletes every resource of the stack${stack}`;
  if (verb === 'stack' && (sub === 'rm' || sub === 'remove')) {
    const name = line.words[2] ?? optionValue(line, 'stack', 's') ?? 'the current stack';
    return `pulumi stack rm drops stack ${name} and its state${flagSet(line, 'force', 'f') ? ' even with resources left' : ''}`;
  }
  return null;
}

function cdkDestroys(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), CDK);
  if (line.words[0] !== 'destroy') return null;
  const stacks = line.words.slice(1);
  return `cdk destroy deletes ${flagSet(line, 'all') ? 'every stack' : stacks.length ? `stack ${stacks.join(', ')}` : 'the app\'s stacks'}`;
}

function serverlessRemoves(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), SERVERLESS);
  if (line.words[0] !== 'remove') return null;
  return `${programOf(facts)} remove deletes the service's stack and its resources${scopeOf(line, [['stage', 'stage', 's'], ['region', 'region', 'r']])}`;
}

function samDeletes(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), SAM);
  if (line.words[0] !== 'delete') return null;
  return `sam delete deletes the application's stack${scopeOf(line, [['stack', 'stack-name']])}`;
}

const BY_PROGRAM: Record<string, (facts: CommandFacts) => string | null> = {
  terraform: (f) => terraformDestroys('terraform', f.command.argv.slice(1)),
  tofu: (f) => terraformDestroys('tofu', f.command.argv.slice(1)),
  terragrunt: (f) => terraformDestroys('terragrunt', f.command.argv.slice(1)),
  cdktf: (f) => terraformDestroys('cdktf', f.command.argv.slice(1)),
  pulumi: pulumiDestroys,
  cdk: cdkDestroys,
  'aws-cdk': cdkDestroys,
  serverless: serverlessRemoves,
  sls: serverlessRemoves,
  sam: samDeletes,
};

/** `iac-destroy`: infrastructure-as-code tools told to tear down what they manage. */
export const IAC_DESTROY: Detector = {
  name: 'iac-destroy',
  description: 'terraform/tofu destroy, apply -destroy, state rm, workspace delete; pulumi destroy, stack rm; cdk destroy; serverless remove; sam delete',
  programs: Object.keys(BY_PROGRAM),
  find: (facts): Finding[] => {
    const reason = BY_PROGRAM[programOf(facts)]?.(facts);
    return reason ? [found(facts, reason)] : [];
  },
};
