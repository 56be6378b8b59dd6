// Source-tree entry of the scorer worker (CLI, web host, tests): registers tsx, then loads the
// TypeScript body. The Electron build bundles the body as out/main/scorer-worker.js instead.
require('tsx/cjs/api').register();
require('./scorer-worker.ts');
