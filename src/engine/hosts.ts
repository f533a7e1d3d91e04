/**
 * Host names and addresses as the network rules compare them: lower case, no trailing dot, no brackets,
 * and IPv4 addresses in dotted-decimal form even when written as one number, in hex or in octal
 * (`http://2852039166/` is the metadata endpoint too).
 */
export function normalizeHost(input: string): string {
  let host = input.trim().toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(host);
  if (scheme) host = host.slice(scheme[0].length);
  host = host.replace(/[/?#].*$/, '');
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end > 0 ? host.slice(1, end) : host.slice(1);
  } else if ((host.match(/:/g) ?? []).length === 1) host = host.slice(0, host.indexOf(':'));
  host = host.replace(/\.+$/, '');
  return parseIPv4(host) ?? host;
}

/** Parse the forms `inet_aton` accepts (`a.b.c.d`, `a.b.c`, `a.b`, `a`; decimal, `0x` hex, `0` octal). */
export function parseIPv4(host: string): string | null {
  const parts = host.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]+$/.test(p)) n = parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p, 8);
    else if (/^(0|[1-9]\d*)$/.test(p)) n = Number(p);
    else return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255)) return null;
  const lastBytes = 4 - nums.length;
  if (last >= 2 ** (8 * lastBytes)) return null;
  const bytes = [...nums];
  for (let i = lastBytes - 1; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes.join('.');
}

/** A compiled host pattern: exact name or IP, `*.example.com` (subdomains), `*`, or an IPv4 CIDR range. */
export interface HostPattern {
  source: string;
  matches(host: string): boolean;
}

export function compileHostPattern(pattern: string): HostPattern {
  const p = pattern.trim().toLowerCase();
  const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(p);
  if (cidr) {
    const base = parseIPv4(cidr[1]);
    const bits = Number(cidr[2]);
    if (base && bits <= 32) {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      const net = (ipToInt(base) & mask) >>> 0;
      return { source: pattern, matches: (h) => { const ip = parseIPv4(h); return ip !== null && ((ipToInt(ip) & mask) >>> 0) === net; } };
    }
  }
  if (p === '*') return { source: pattern, matches: () => true };
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    return { source: pattern, matches: (h) => h.endsWith(suffix) && h.length > suffix.length };
  }
  const exact = normalizeHost(p);
  return { source: pattern, matches: (h) => h === exact };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, b) => acc * 256 + Number(b), 0);
}

/**
 * Why a host pattern cannot mean what it says, or null: a CIDR range needs an IPv4 address and a prefix of
 * 0 to 32 (IPv6 ranges are not supported), `*` stands only alone or as a leading `*.`, an all-digit name must
 * be an IPv4 address, and a name holds only letters (any script), digits, `-`, `_`, `.` (and `:` in an IPv6 address).
 */
export function hostPatternError(pattern: string): string | null {
  const p = pattern.trim().toLowerCase();
  if (p === '*') return null;
  const slash = p.indexOf('/');
  if (slash >= 0 && !p.includes('://')) {
    const [base, bits, ...rest] = p.split('/');
    if (base.includes(':')) return `'${pattern}': IPv6 CIDR ranges are not supported; list the addresses`;
    if (rest.length || !/^(0|[1-9]\d?)$/.test(bits) || Number(bits) > 32) return `'${pattern}': a CIDR prefix is a whole number from 0 to 32`;
    if (!/^[\d.]+$/.test(base) || parseIPv4(base) === null) return `'${pattern}': '${base}' is not an IPv4 address (a.b.c.d, each 0 to 255)`;
    return null;
  }
  const name = p.startsWith('*.') ? p.slice(2) : p;
  if (name.includes('*')) return `'${pattern}': '*' may stand alone or as a leading '*.' only`;
  if (/[[\]]/.test(name) && !/^([a-z][a-z0-9+.-]*:\/\/)?\[[0-9a-f:.]+\](:\d+)?(\/.*)?$/.test(name)) return `'${pattern}': brackets may only hold an IPv6 address ('[::1]'); host patterns have no classes`;
  const host = normalizeHost(name);
  if (host === '') return `'${pattern}' names no host`;
  if (/^[\d.]+$/.test(host) && parseIPv4(host) === null) return `'${pattern}' is not an IPv4 address (each part 0 to 255)`;
  if (!/^[\p{L}\p{N}_.:-]+$/u.test(host)) return `'${pattern}' is not a host name, an IP address, '*.domain' or an IPv4 CIDR range`;
  return null;
}
