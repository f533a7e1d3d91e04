import type { CommandFacts, Detector, Finding } from '../detectors.js';
import { asksHelp, flagSet, found, programOf, readCli, scopeOf, type CliLine, type CliSpec } from './infra-cli.js';

// docker/podman global options and the compose and prune options that take a value, read in any order.
const DOCKER: CliSpec = {
  short: 'Hcl',
  long: ['host', 'context', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey', 'connection', 'url', 'identity', 'root', 'runroot', 'storage-driver', 'cgroup-manager', 'namespace', 'address', 'filter'],
  below: { compose: { short: 'fpt', long: ['file', 'project-name', 'project-directory', 'env-file', 'profile', 'ansi', 'parallel', 'progress', 'rmi', 'timeout'] } },
};
const PROGRAMS = ['docker', 'podman', 'nerdctl', 'docker-compose', 'podman-compose'];

/** The docker-style line, with `docker-compose …` read as `compose …`. */
function dockerLine(facts: CommandFacts): CliLine {
  const args = facts.command.argv.slice(1);
  const compose = { text: 'compose', dynamic: false, glob: false };
  return readCli(programOf(facts).endsWith('-compose') ? [compose, ...args] : args, DOCKER);
}

const where = (line: CliLine) => scopeOf(line, [['host', 'host', 'H'], ['context', 'context'], ['project', 'project-name', 'p'], ['file', 'file', 'f']]);

/** What a container line deletes of stored data, and whether it is only a warning (no volume touched). */
function containerDeletes(facts: CommandFacts): { reason: string; volumes: boolean } | null {
  const line = dockerLine(facts);
  if (asksHelp(line)) return null;
  const program = programOf(facts).replace(/-compose$/, '');
  const [group, verb, ...rest] = line.words;
  const prune = (group === 'system' && verb === 'prune') || (group === 'prune' && program === 'podman' && verb === undefined);
  if (prune) {
    return flagSet(line, 'volumes')
      ? { reason: `${program} system prune --volumes deletes every volume no container uses, with its data${where(line)}`, volumes: true }
      : { reason: `${program} system prune deletes stopped containers, unused networks and images${flagSet(line, 'all', 'a') ? ' (all unused images)' : ''}${where(line)}`, volumes: false };
  }
  if (group === 'volume' && (verb === 'rm' || verb === 'remove' || verb === 'prune')) {
    return { reason: `${program} volume ${verb} ${verb === 'prune' ? 'deletes every unused volume' : `deletes volume ${rest.join(', ')}`} with its data${where(line)}`, volumes: true };
  }
  if (group === 'compose' && (verb === 'down' || verb === 'rm') && flagSet(line, 'volumes', 'v')) {
    return { reason: `${program} compose ${verb} -v deletes the project's volumes with their data${where(line)}`, volumes: true };
  }
  return null;
}

const pick = (volumes: boolean) => (facts: CommandFacts): Finding[] => {
  const hit = containerDeletes(facts);
  return hit && hit.volumes === volumes ? [found(facts, hit.reason)] : [];
};

/** `container-…` detectors: deleting volumes (denied) and pruning without them (warned). */
export const CONTAINER_DETECTORS: readonly Detector[] = [
  { name: 'container-volumes', description: 'docker/podman system prune --volumes, volume rm/prune, compose down -v', programs: PROGRAMS, find: pick(true) },
  { name: 'container-prune', description: 'docker/podman system prune without --volumes (stopped containers, networks, images)', programs: PROGRAMS, find: pick(false) },
];
