import { parseIPv4 } from '../engine/hosts.js';

/** A TCP port as typed: 1 to 65535, digits only (0 is not a port one connects to). */
export function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/** An IPv6 address, as the URL parser reads one between brackets. */
function isIPv6(text: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':')) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** A host name (letters of any script, digits, `-` and `_`, dot-separated labels), or an IP address. */
function isHost(text: string): boolean {
  const host = text.replace(/\.$/, '');
  if (!host || host.length > 253) return false;
  if (parseIPv4(host.toLowerCase()) || isIPv6(host)) return true;
  return host.split('.').every((label) => label.length <= 63 && /^[\p{L}\p{N}_](?:[\p{L}\p{N}_-]*[\p{L}\p{N}_])?$/u.test(label));
}

/**
 * Why `input` is not something `check-network` can decide (a host name, an IP address, `host:port`,
 * `[v6]:port` or a URL), or null when it is one. A typo must not come back as ALLOW.
 */
export function hostSyntaxError(input: string): string | null {
  const text = input.trim();
  let host = text;
  let port: string | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return 'is not a valid URL';
    }
    host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    port = /^[^/]*\/\/[^/?#]*:(\d*)(?:[/?#]|$)/.exec(text)?.[1] || undefined;
  } else {
    const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
    if (bracketed) [, host, port] = bracketed;
    else if (text.split(':').length === 2) [host, port] = text.split(':');
  }
  if (port !== undefined && !isPort(port)) return `has port '${port}'; a port is a number from 1 to 65535`;
  return isHost(host) ? null : 'is not a host name, IP address or URL';
}
