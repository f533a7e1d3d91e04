/**
 * Signals sent by tools other than kill/pkill/killall: `fuser -k` (SIGKILL unless told otherwise), `killall5`,
 * `systemctl kill` and `loginctl kill-session|kill-user` (SIGTERM unless `-s`/`--signal` says otherwise).
 */
import type { Field } from '../shell/expand.js';

const KILL = /^(sig)?(kill|9)$/i;

/** The signal this command sends when it is SIGKILL; null when it sends another one or none. */
export function toolSigkill(name: string, args: readonly Field[]): string | null {
  if (name !== 'fuser' && name !== 'killall5' && name !== 'systemctl' && name !== 'loginctl') return null;
  const texts = args.map((a) => a.text);
  switch (name) {
    case 'fuser': {
      let kills = false;
      let signal = 'KILL';
      for (let i = 0; i < texts.length; i++) {
        const t = texts[i];
        if (t === '--') break;
        if (t === '--kill') kills = true;
        else if (t === '-n' || t === '--namespace') i++;
        else if (/^-([A-Z][A-Z0-9+-]*|\d+)$/.test(t) && !/^-[A-Z]$/.test(t)) signal = t.slice(1);
        else if (/^-[a-zA-Z46]+$/.test(t) && t.slice(1).includes('k')) kills = true;
      }
      return kills && KILL.test(signal) ? 'KILL' : null;
    }
    case 'killall5': {
      const signal = texts.find((t) => /^-\w+$/.test(t) && t !== '-o');
      return signal && KILL.test(signal.slice(1)) ? 'KILL' : null;
    }
    case 'systemctl':
    case 'loginctl': {
      const verb = texts.find((t) => !t.startsWith('-'));
      if (!(name === 'systemctl' ? verb === 'kill' : verb === 'kill-session' || verb === 'kill-user')) return null;
      const signal = signalOption(texts);
      return signal !== undefined && KILL.test(signal) ? 'KILL' : null;
    }
  }
  return null;
}

/** The value of `-s X`, `-sX`, `--signal=X` or `--signal X` (the last one given). */
function signalOption(texts: readonly string[]): string | undefined {
  let signal: string | undefined;
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    if (t === '-s' || t === '--signal') signal = texts[++i];
    else if (t.startsWith('--signal=')) signal = t.slice(9);
    else if (/^-s\w+$/.test(t)) signal = t.slice(2);
  }
  return signal;
}
