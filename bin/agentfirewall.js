#!/usr/bin/env node
'use strict';
// The installed command: CommonJS (bin/package.json), which starts faster than an ES module.
//
// `check` runs before every shell command, so start-up time is the product. The command-line code is one
// bundle (dist/cli.cjs) that loads commander, chalk, yaml and pino only when a command needs them, and
// it is compiled through a V8 code cache kept beside the bundle: compiling the bundle's functions
// costs more than running them. The cache is only read from and written to the package's own dist/
// directory (same trust as the code itself); when that is not writable it is simply not used.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
const cacheFile = `${bundle}.${process.version}-${process.arch}.v8cache`;
const source = fs.readFileSync(bundle, 'utf8');
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // no cache yet
}
// The CommonJS wrapper, written out: loading node:module for its `wrap` costs more than the check itself.
const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
const script = new vm.Script(wrapped, {
  filename: bundle,
  cachedData,
});
const cli = { exports: {} };
script.runInThisContext()(cli.exports, require, cli, bundle, path.dirname(bundle));

const hotPath = ['check', 'check-file', 'check-network', 'hook'].includes(process.argv[2]);
if (hotPath) {
  // Written after a check ran, so the functions the check path compiled are in the cache too
  // (a cache made by `init` or `status` would leave the check path to compile itself every time).
  // A denial and a logged decision run code an allowed line never reaches: the cache is written again
  // the first time each way (`pathKind`) is taken, and `<cache>.paths` lists the ways it holds.
  process.once('beforeExit', () => {
    const kind = cli.exports.pathKind();
    const fresh = cachedData === undefined || script.cachedDataRejected;
    let kinds = [];
    try {
      if (!fresh) kinds = fs.readFileSync(`${cacheFile}.paths`, 'utf8').split('\n');
    } catch {
      // no list yet
    }
    if (kinds.includes(kind)) return;
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
      fs.writeFileSync(tmp, [...kinds, kind].join('\n'));
      fs.renameSync(tmp, `${cacheFile}.paths`);
    } catch {
      // read-only install: run without a cache
    }
  });
}

cli.exports.run(process.argv.slice(2));
