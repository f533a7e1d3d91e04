import { appendFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditTail } from '../src/adapters/audit-reader.js';
import { tempDir } from './helpers.js';

// The follower behind `log --follow`, on real files renamed as rotation renames them.
describe('AuditTail', () => {
  it('a file renamed between listing and opening is read on from where it was left, not again from the start', () => {
    const dir = tempDir();
    const log = join(dir, 'firewall.log');
    appendFileSync(log, '{"n":1}\n{"n":2}\n');
    const tail = new AuditTail(log);
    expect(tail.read().map((e) => e.entry?.n)).toEqual([1, 2]);
    // Rotation renames firewall.log to firewall.log.1; a read that runs while the file is under a name it
    // does not list (here: moved aside) misses it once.
    renameSync(log, join(dir, 'aside'));
    expect(tail.read()).toEqual([]);
    renameSync(join(dir, 'aside'), `${log}.1`);
    appendFileSync(`${log}.1`, '{"n":3}\n');
    appendFileSync(log, '{"n":4}\n');
    expect(tail.read().map((e) => e.entry?.n)).toEqual([3, 4]);
  });
});
