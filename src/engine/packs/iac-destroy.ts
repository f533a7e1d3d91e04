import type { CommandFacts, Detector, Finding } from '../detectors.js';
import { asksHelp, flagSet, found, optionValue, programOf, readCli, scopeOf, scriptTool, type CliSpec } from './infra-cli.js';

type Args = CommandFacts['command']['argv'];

// Terraform and OpenTofu read options the Go way: `-chdir=dir`, `-destroy`, `--destroy`, `-var k=v`.
const TERRAFORM: CliSpec = { singleDashWords: true, long: ['chdir', 'var', 'var-file', 'target', 'replace', 'out', 'state', 'state-out', 'backup', 'lock-timeout', 'parallelism', 'refresh', 'lock', 'input'] };
const PULUMI: CliSpec = { short: 'sC', long: ['stack', 'cwd', 'config-file', 'target', 'color', 'logflow', 'verbose', 'tracing', 'parallel', 'message', 'exec-kind', 'secrets-provider'] };
const CDK: CliSpec = { short: 'acp', long: ['app', 'context', 'profile', 'output', 'role-arn', 'plugin', 'ca-bundle-path', 'proxy', 'toolkit-stack-name', 'c'] };
const SERVERLESS: CliSpec = { short: 'scr', long: ['stage', 'config', 'region', 'aws-profile', 'app', 'org', 'param'] };
const SAM: CliSpec = { long: ['stack-name', 'region', 'profile', 'config-file', 'config-env', 's3-bucket', 's3-prefix'] };

/** What a terraform-style line destroys: the whole state, a record of it, or a workspace. */
function terraformDestroys(args: Args, program: string): string | null {
  const line = readCli(args, TERRAFORM);
  if (asksHelp(line)) return null;
  const [verb, sub] = line.words;
  const where = scopeOf(line, [['in', 'chdir']]);
  // terragrunt runs the same verbs across modules: `terragrunt run-all destroy`, `terragrunt run -- destroy`.
  if (program === 'terragrunt' && (verb === 'run-all' || verb === 'run')) return terraformDestroys(args.filter((f) => f.text !== verb && f.text !== '--'), 'terraform');
  if (verb === 'destroy') return `${program} destroy deletes every resource the configuration manages${where}`;
  if (verb === 'apply' && flagSet(line, 'destroy')) return `${program} apply -destroy deletes every resource the configuration manages${where}`;
  if (verb === 'state' && (sub === 'rm' || sub === 'remove')) return `${program} state rm ${line.words.slice(2).join(' ')} forgets resources, which then leak or are recreated${where}`;
  if (verb === 'workspace' && (sub === 'delete' || sub === 'rm')) return `${program} workspace delete ${line.words[2] ?? ''} drops a workspace and its state${where}`.replace(/  +/g, ' ');
  return null;
}

function pulumiDestroys(args: Args): string | null {
  const line = readCli(args, PULUMI);
  if (asksHelp(line) || flagSet(line, 'preview-only')) return null;
  const [verb, sub] = line.words;
  const stack = scopeOf(line, [['stack', 'stack', 's'], ['in', 'cwd', 'C']]);
  if (verb === 'destroy' || verb === 'down' || verb === 'dn') return `pulumi ${verb} deletes every resource of the stack${stack}`;
  if (verb === 'stack' && (sub === 'rm' || sub === 'remove')) {
    const name = line.words[2] ?? optionValue(line, 'stack', 's') ?? 'the current stack';
    return `pulumi stack rm drops stack ${name} and its state${flagSet(line, 'force', 'f') ? ' even with resources left' : ''}`;
  }
  return null;
}

function cdkDestroys(args: Args): string | null {
  const line = readCli(args, CDK);
  if (asksHelp(line)) return null;
  if (line.words[0] !== 'destroy') return null;
  const stacks = line.words.slice(1);
  return `cdk destroy deletes ${flagSet(line, 'all') ? 'every stack' : stacks.length ? `stack ${stacks.join(', ')}` : 'the app\'s stacks'}`;
}

function serverlessRemoves(args: Args, program: string): string | null {
  const line = readCli(args, SERVERLESS);
  if (line.words[0] !== 'remove' || asksHelp(line)) return null;
  return `${program} remove deletes the service's stack and its resources${scopeOf(line, [['stage', 'stage', 's'], ['region', 'region', 'r']])}`;
}

function samDeletes(args: Args): string | null {
  const line = readCli(args, SAM);
  if (line.words[0] !== 'delete' || asksHelp(line)) return null;
  return `sam delete deletes the application's stack${scopeOf(line, [['stack', 'stack-name']])}`;
}

const BY_PROGRAM: Record<string, (args: Args, program: string) => string | null> = {
  terraform: terraformDestroys,
  tofu: terraformDestroys,
  terragrunt: terraformDestroys,
  cdktf: terraformDestroys,
  pulumi: pulumiDestroys,
  cdk: cdkDestroys,
  'aws-cdk': cdkDestroys,
  serverless: serverlessRemoves,
  sls: serverlessRemoves,
  sam: samDeletes,
};
const TOOLS = new Set(Object.keys(BY_PROGRAM));

/** `iac-destroy`: infrastructure-as-code tools told to tear down what they manage. */
export const IAC_DESTROY: Detector = {
  name: 'iac-destroy',
  description: 'terraform/tofu destroy, apply -destroy, state rm, workspace delete; pulumi destroy, stack rm; cdk destroy; serverless remove; sam delete',
  programs: [...TOOLS, 'npm', 'yarn', 'pnpm', 'bun'],
  find: (facts): Finding[] => {
    const call = scriptTool(facts, TOOLS) ?? { program: programOf(facts), args: facts.command.argv.slice(1) };
    const reason = BY_PROGRAM[call.program]?.(call.args, call.program);
    return reason ? [found(facts, reason)] : [];
  },
};
