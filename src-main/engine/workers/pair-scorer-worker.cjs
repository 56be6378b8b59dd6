// Source-tree entry of the pair-scorer worker (CLI, web host, tests): registers tsx, then loads the
// TypeScript body. The Electron build bundles the body as out/main/pair-scorer-worker.js instead.
require('tsx/cjs/api').register();
require('./pair-scorer-worker.ts');
