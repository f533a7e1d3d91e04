import { describe, expect, it } from 'vitest';
import { compileHostPattern, hostPatternError } from '../src/engine/hosts.js';

describe('host pattern validation', () => {
  it('accepts names, addresses, subdomain wildcards, IPv4 ranges, URLs and bracketed IPv6', () => {
    for (const ok of ['*', 'github.com', '*.example.com', '169.254.169.254', '10.0.0.0/8', '0.0.0.0/0', '10/8', 'fd00:ec2::254', '[::1]', '[::1]:8080', 'https://example.com/path', 'localhost:3000', 'bücher.de', 'metadata.google.internal']) {
      expect(hostPatternError(ok), ok).toBeNull();
    }
  });

  it('refuses what cannot be a host, each with a reason', () => {
    for (const bad of ['10.0.0.0/99', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/8/8', '300.0.0.0/8', 'fd00::/8', '10.0.0.300', 'a*b.com', '*.*.com', '[unclosed', 'exa mple.com', 'host/[z-a]']) {
      expect(hostPatternError(bad), bad).toMatch(/\S/);
    }
  });

  it('a valid range matches its addresses in every form the engine normalises', () => {
    const range = compileHostPattern('10.0.0.0/8');
    expect(range.matches('10.255.1.2')).toBe(true);
    expect(range.matches('11.0.0.1')).toBe(false);
  });
});
