import type { CommandFacts, Detector, Finding } from '../detectors.js';
import { asksHelp, dryRun, flagSet, found, optionValue, programOf, readCli, scopeOf, type CliSpec } from './infra-cli.js';

// The aws CLI's global options that take a value; its subcommand options are all `--long` (value or flag).
const AWS: CliSpec = {
  long: ['profile', 'region', 'output', 'endpoint-url', 'query', 'color', 'ca-bundle', 'cli-read-timeout', 'cli-connect-timeout', 'cli-binary-format', 'cli-input-json', 'cli-input-yaml', 'exclude', 'include', 'acl', 'storage-class', 'sse', 'expires', 'metadata-directive', 'page-size', 'bucket', 'key', 'instance-ids', 'table-name', 'stack-name', 'db-instance-identifier', 'db-cluster-identifier'],
};
const GCLOUD: CliSpec = { long: ['project', 'account', 'configuration', 'format', 'verbosity', 'impersonate-service-account', 'billing-project', 'zone', 'region', 'flags-file', 'filter', 'limit', 'sort-by', 'page-size', 'trace-token', 'location'] };
const GSUTIL: CliSpec = { short: 'ohuip' };
const AZ: CliSpec = { short: 'ngo', long: ['subscription', 'output', 'query', 'name', 'resource-group', 'account-name', 'container-name', 'location'] };
const AZCOPY: CliSpec = { long: ['include-pattern', 'exclude-pattern', 'include-path', 'exclude-path', 'list-of-files', 'log-level', 'from-to'] };

const AWS_SCOPE: [string, ...string[]][] = [['profile', 'profile'], ['region', 'region']];

/** aws operations that delete a whole data-holding or serving resource (not one message, tag or object). */
const AWS_DESTROYS = /^(terminate-instances|delete-(db-\S+|\S*cluster\S*|table|backup|stack|stack-set|stack-instances|file-system|volume|snapshot|hosted-zone|repository|function|secret|vpc|global-table|domain|log-group|user-pool|bucket|vault|backup-vault|environment|application|replication-group|cache-cluster|database|graph|index|collection|load-balancer|auto-scaling-group|service|topic|queue|stream|key|registry|workgroup|data-catalog)|schedule-key-deletion|delete-objects)$/;
const S3API_BULK = new Set(['delete-bucket', 'delete-objects']);

function awsDeletes(facts: CommandFacts, storage: boolean): string | null {
  const line = readCli(facts.command.argv.slice(1), AWS);
  const [service, op, ...rest] = line.words;
  if (asksHelp(line) || dryRun(line)) return null;
  const where = scopeOf(line, AWS_SCOPE);
  // The resource is usually an option value (`--table-name users`, `--instance-ids i-1`): name it in the reason.
  const named = [...line.options].filter(([k]) => /(^|-)(name|ids?|identifier|arn|url|bucket)$/.test(k) && k !== 'profile').flatMap(([, v]) => v.filter((x) => typeof x === 'string'));
  const target = [...rest, ...named].join(' ');
  if (service === 's3') {
    if (!storage) return null;
    if (op === 'rm' && flagSet(line, 'recursive')) return `aws s3 rm --recursive ${target} deletes every object under it${where}`;
    if (op === 'rb' && flagSet(line, 'force')) return `aws s3 rb --force ${target} deletes the bucket with every object in it${where}`;
    if (op === 'sync' && flagSet(line, 'delete')) return `aws s3 sync --delete ${target} deletes what the source lacks from ${rest[1] ?? 'the destination'}${where}`;
    return null;
  }
  if (service === 's3api') return storage && S3API_BULK.has(op ?? '') ? `aws s3api ${op} of bucket ${optionValue(line, 'bucket') ?? target}${where}` : null;
  if (storage || !service || !op) return null;
  return AWS_DESTROYS.test(op) ? `aws ${service} ${op} ${target}`.trimEnd() + where : null;
}

// gcloud groups whose deletes touch only local settings or credentials.
const GCLOUD_LOCAL = new Set(['config', 'auth', 'components', 'topic']);

function gcloudDeletes(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), GCLOUD);
  if (asksHelp(line)) return null;
  const words = line.words.filter((w) => !['alpha', 'beta'].includes(w));
  const where = scopeOf(line, [['project', 'project']]);
  if (GCLOUD_LOCAL.has(words[0] ?? '')) return null;
  // Objects are deleted one by one unless recursively or by a `**` wildcard, as `aws s3 rm` of one key.
  const objects = words[0] === 'storage' && (words[1] === 'rm' || (words[1] === 'objects' && words[2] === 'delete'));
  if (objects) {
    const urls = words.slice(words[1] === 'rm' ? 2 : 3);
    const bulk = flagSet(line, 'recursive', 'r', 'R', 'all-versions', 'a') || urls.some((w) => w.includes('**'));
    return bulk ? `gcloud storage ${words[1]} -r ${urls.join(' ')} deletes every object under it${where}` : null;
  }
  const verb = words.findIndex((w, i) => i > 0 && i < 5 && w === 'delete');
  if (verb < 0) return null;
  return `gcloud ${words.slice(0, verb).join(' ')} delete ${words.slice(verb + 1).join(' ')}`.trimEnd() + ` deletes it${where}`;
}

function gsutilDeletes(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), GSUTIL);
  const [op, ...urls] = line.words;
  if (op === 'rb') return `gsutil rb ${urls.join(' ')} deletes the bucket`;
  if (op === 'rm' && (flagSet(line, 'r', 'R', 'a') || urls.some((u) => u.includes('**')))) return `gsutil rm ${flagSet(line, 'a') ? '-a' : '-r'} ${urls.join(' ')} deletes every object (version) under it`;
  if (op === 'rsync' && flagSet(line, 'd')) return `gsutil rsync -d deletes what the source lacks from ${urls[1] ?? 'the destination'}`;
  return null;
}

// az groups whose deletes touch only the local CLI.
const AZ_LOCAL = new Set(['config', 'extension', 'cache', 'cloud']);

function azDeletes(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), AZ);
  if (asksHelp(line)) return null;
  const verb = line.words.findIndex((w, i) => i > 0 && i < 5 && (w === 'delete' || w === 'delete-batch' || w === 'purge'));
  if (verb < 0 || AZ_LOCAL.has(line.words[0])) return null;
  // One blob, file or message, as `aws s3 rm` of one key; `delete-batch` stays a bulk delete.
  if (line.words[0] === 'storage' && ['blob', 'file', 'message', 'entity'].includes(line.words[1]) && line.words[verb] === 'delete') return null;
  const name = scopeOf(line, [['name', 'name', 'n'], ['group', 'resource-group', 'g'], ['account', 'account-name'], ['subscription', 'subscription']]);
  return `az ${line.words.slice(0, verb + 1).join(' ')} ${line.words.slice(verb + 1).join(' ')}`.trimEnd() + ` deletes it${name}`;
}

function azcopyRemoves(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), AZCOPY);
  if (asksHelp(line) || flagSet(line, 'dry-run')) return null;
  const [op, ...urls] = line.words;
  if ((op === 'remove' || op === 'rm') && flagSet(line, 'recursive')) return `azcopy remove --recursive ${urls.join(' ')} deletes every blob under it`;
  if (op === 'sync' && flagSet(line, 'delete-destination')) return `azcopy sync --delete-destination deletes what the source lacks from ${urls[1] ?? 'the destination'}`;
  return null;
}

// Platform CLIs: the verbs that delete a cluster, machine, database, app or volume.
const EKSCTL: CliSpec = { short: 'nfr', long: ['name', 'region', 'profile', 'config-file', 'cluster'] };
const DOCTL: CliSpec = { short: 'toc', long: ['access-token', 'context', 'output', 'config', 'format'] };
const HEROKU: CliSpec = { short: 'ar', long: ['app', 'remote', 'confirm', 'team'] };
const FLY: CliSpec = { short: 'ac', long: ['app', 'config', 'access-token', 'org', 'region'] };

function eksctlDeletes(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), EKSCTL);
  const [verb, kind, name] = line.words;
  if (verb !== 'delete' || asksHelp(line)) return null;
  return `eksctl delete ${kind ?? ''} ${name ?? optionValue(line, 'name', 'n') ?? ''}`.trimEnd() + scopeOf(line, [['cluster', 'cluster'], ['region', 'region', 'r']]);
}

function doctlDeletes(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), DOCTL);
  const verb = line.words.findIndex((w, i) => i > 0 && i < 5 && (w === 'delete' || w === 'rm' || w === 'd'));
  if (verb < 0 || asksHelp(line) || line.words[0] === 'auth') return null;
  return `doctl ${line.words.join(' ')} deletes it${scopeOf(line, [['context', 'context']])}`;
}

function herokuDestroys(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), HEROKU);
  const verb = line.words[0] ?? '';
  if (!/^(apps:destroy|destroy|pg:reset|redis:reset|addons:destroy|addons:remove|pg:backups:delete)$/.test(verb) || asksHelp(line)) return null;
  return `heroku ${line.words.join(' ')} destroys data${scopeOf(line, [['app', 'app', 'a']])}`;
}

function flyDestroys(facts: CommandFacts): string | null {
  const line = readCli(facts.command.argv.slice(1), FLY);
  const verb = line.words.findIndex((w, i) => i > 0 && i < 3 && (w === 'destroy' || w === 'delete'));
  if (verb < 0 || asksHelp(line) || line.words[0] === 'secrets') return null;
  return `${programOf(facts)} ${line.words.join(' ')} destroys it${scopeOf(line, [['app', 'app', 'a']])}`;
}

const wrap = (reason: (f: CommandFacts) => string | null) => (facts: CommandFacts): Finding[] => {
  const r = reason(facts);
  return r ? [found(facts, r)] : [];
};

const CLOUD_DELETE: Record<string, (f: CommandFacts) => string | null> = {
  aws: (f) => awsDeletes(f, false),
  gcloud: gcloudDeletes,
  gsutil: gsutilDeletes,
  az: azDeletes,
  azcopy: azcopyRemoves,
  eksctl: eksctlDeletes,
  doctl: doctlDeletes,
  heroku: herokuDestroys,
  fly: flyDestroys,
  flyctl: flyDestroys,
};

/** `cloud-…` detectors: bulk deletes of object storage, and deletes of cloud resources that hold data or serve. */
export const CLOUD_DETECTORS: readonly Detector[] = [
  {
    name: 'cloud-s3-delete',
    description: 'aws s3 rm --recursive, s3 rb --force, s3 sync --delete, s3api delete-bucket/delete-objects',
    programs: ['aws'],
    find: wrap((f) => awsDeletes(f, true)),
  },
  {
    name: 'cloud-delete',
    description: 'aws terminate-instances and delete-* of databases, tables, stacks, clusters; gcloud … delete, storage rm -r; gsutil rm -r, rb; az … delete; azcopy remove --recursive; eksctl delete, doctl … delete, heroku apps:destroy / pg:reset, fly … destroy',
    programs: Object.keys(CLOUD_DELETE),
    find: wrap((f) => CLOUD_DELETE[programOf(f)]?.(f) ?? null),
  },
];
