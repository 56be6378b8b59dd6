#!/usr/bin/env node
'use strict';
// The CLI runs the TypeScript sources through tsx, so `npx gaa` works straight after install.
require('tsx/cjs/api').register();
const { runCli } = require('../src-main/cli/main.ts');
const io = { out: (t) => process.stdout.write(t), err: (t) => t && process.stderr.write(t) };
runCli(process.argv.slice(2), io).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`gaa: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
