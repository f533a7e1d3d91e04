import type { Detector, Finding } from '../detectors.js';
import { operandsOf, wordsOf } from './pack-words.js';

const finding = (reason: string, subject: string): Finding[] => [{ reason, subject }];

/** What a power command does to the machine, or null (`shutdown -c` cancels, `--help`, `systemctl status`). */
function powerOf(words: string[]): string | null {
  const [tool] = words;
  const ops = operandsOf(words.slice(1));
  if (words.includes('--help') || words.includes('-h') && tool !== 'shutdown') return null;
  switch (tool) {
    case 'shutdown':
      return words.includes('-c') ? null : 'shutdown';
    case 'reboot':
    case 'poweroff':
    case 'halt':
      return words.includes('--wtmp-only') || words.includes('-w') ? null : tool;
    case 'init':
    case 'telinit':
      return ops[0] === '0' || ops[0] === '6' ? `${tool} ${ops[0]}` : null;
    case 'systemctl':
      return ['poweroff', 'reboot', 'halt', 'kexec', 'soft-reboot', 'suspend', 'hibernate'].includes(ops[0]) || (ops[0] === 'isolate' && /^(poweroff|reboot|halt)\.target$/.test(ops[1] ?? '')) ? `systemctl ${ops.join(' ')}` : null;
    default:
      return null;
  }
}

/** A flush of the packet filter: `iptables [-t nat] -F|--flush`, `nft flush ruleset`, `ufw disable|reset`. */
function firewallFlushOf(words: string[]): string | null {
  const [tool] = words;
  if (/^(ip6?tables|ip6?tables-legacy|ip6?tables-nft|ebtables|arptables)$/.test(tool)) {
    const flush = words.slice(1).some((w) => w === '--flush' || (/^-[a-zA-Z]+$/.test(w) && w.includes('F')));
    return flush ? `${tool} flush` : null;
  }
  const ops = operandsOf(words.slice(1));
  if (tool === 'nft') return ops[0] === 'flush' && ops[1] === 'ruleset' ? 'nft flush ruleset' : null;
  if (tool === 'ufw') return ops[0] === 'disable' || ops[0] === 'reset' ? `ufw ${ops[0]}` : null;
  return null;
}

/** The machine itself: shutdown, reboot, firewall flushes, crontab removal (`sys/*`). */
export const MACHINE_DETECTORS: readonly Detector[] = [
  {
    name: 'sys-shutdown',
    description: 'shutting down or rebooting the machine (shutdown, reboot, poweroff, halt, init 0|6, systemctl reboot)',
    programs: ['shutdown', 'reboot', 'poweroff', 'halt', 'init', 'telinit', 'systemctl'],
    find(facts) {
      const what = powerOf(wordsOf(facts.command));
      return what ? finding(`${what} stops the machine`, what) : [];
    },
  },
  {
    name: 'sys-firewall-flush',
    description: 'flushing or disabling the packet filter (iptables -F, nft flush ruleset, ufw disable)',
    programs: ['iptables', 'ip6tables', 'iptables-legacy', 'ip6tables-legacy', 'iptables-nft', 'ip6tables-nft', 'ebtables', 'arptables', 'nft', 'ufw'],
    find(facts) {
      const what = firewallFlushOf(wordsOf(facts.command));
      return what ? finding(`${what} removes every firewall rule`, what) : [];
    },
  },
  {
    name: 'sys-crontab-remove',
    description: 'removing the whole crontab (crontab -r)',
    programs: ['crontab'],
    find(facts) {
      const words = wordsOf(facts.command);
      const remove = words.slice(1).some((w) => w === '--remove' || (/^-[a-zA-Z]+$/.test(w) && w.includes('r')));
      return remove ? finding('crontab -r removes every scheduled job of the user', 'crontab') : [];
    },
  },
];
