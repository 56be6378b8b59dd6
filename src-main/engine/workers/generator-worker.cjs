// Source-tree entry of the generator worker (CLI, web host, tests): registers tsx, then loads the
// TypeScript body. The Electron build bundles the body as out/main/generator-worker.js instead.
require('tsx/cjs/api').register();
require('./generator-worker.ts');
