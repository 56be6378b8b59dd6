import { join, resolve } from 'node:path';
import { defaultUserDataDir } from '../engine/app/user-data';
import { startHost } from './server';

/** `npm run serve`: the web host on 127.0.0.1, printing the one URL that carries the token. */
async function main(): Promise<void> {
  const portArg = process.argv.find((a) => a.startsWith('--port='));
  const host = await startHost({
    port: portArg ? Number(portArg.slice('--port='.length)) : 0,
    userDataDir: process.env.GAA_USER_DATA ?? defaultUserDataDir(),
    staticDir: resolve(process.env.GAA_RENDERER_DIR ?? join(__dirname, '../../out/renderer')),
  });
  process.stdout.write(`GAA Workbench web host (loopback only). Open:\n  ${host.url}\n`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`gaa serve: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
