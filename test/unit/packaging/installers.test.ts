/**
 * The installer configuration, read as electron-builder reads it. No Electron binary can be
 * downloaded on the build machines, so the packaging itself runs on a connected machine (README,
 * "Installers for offline PCs"); what can be checked here is that the configuration asks for the
 * right installers, flips the right fuses, keeps native binaries out of the asar archive, leaves
 * sources, tests and the optional CUDA files out, and that native modules are rebuilt for
 * Electron's ABI before packaging.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(__dirname, '../../..');
const config = JSON.parse(readFileSync(join(repo, 'electron-builder.json'), 'utf8')) as {
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  extraResources: { from: string; to: string }[];
  win: { target: { target: string; arch: string[] }[] };
  linux: { target: { target: string; arch: string[] }[]; maintainer?: string };
};
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** minimatch's `*`, `**` and `{a,b}`, as electron-builder applies them to paths relative to the app. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      re += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map((alt) => globToRegExp(alt).source.slice(1, -1))
        .join('|')})`;
      i = end;
    } else re += /[.+?^$()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/** Whether electron-builder's `files` list keeps `path`: the last pattern that matches decides. */
function packaged(path: string): boolean {
  let kept = false;
  for (const pattern of config.files) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(path)) kept = !negated;
  }
  return kept || (path.startsWith('node_modules/') && !config.files.some((p) => p.startsWith('!') && globToRegExp(p.slice(1)).test(path)));
}

const unpacked = (path: string) => config.asarUnpack.some((p) => globToRegExp(p).test(path));

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(repo, join(e.parentPath, e.name)).split('\\').join('/'));
}

describe('the installers', () => {
  it('are NSIS and portable for Windows, AppImage and deb for Linux, all x64', () => {
    expect(config.win.target).toEqual([
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ]);
    expect(config.linux.target).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
    expect(config.linux.maintainer).toBeTruthy(); // deb refuses to build without one
  });

  it('flip the fuses: no RunAsNode, NODE_OPTIONS or inspect arguments; cookie encryption, asar integrity, app only from asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      // The UI loads from gaa-app://, so file:// needs none of its extra privileges.
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('rebuild the native modules for Electron with @electron/rebuild before electron-builder packs them', () => {
    expect(pkg.devDependencies['electron-builder']).toBeTruthy();
    expect(pkg.devDependencies['@electron/rebuild']).toBeTruthy();
    expect(pkg.scripts['rebuild:electron']).toMatch(/^electron-rebuild --force --only better-sqlite3,sharp,onnxruntime-node$/);
    for (const script of ['dist:linux', 'dist:win']) {
      const steps = pkg.scripts[script].split(' && ');
      expect(steps[0]).toBe('electron-vite build');
      expect(steps[1]).toBe('npm run rebuild:electron');
      expect(steps[2]).toMatch(/^electron-builder --config electron-builder\.json --(linux|win) --x64 --publish never$/);
    }
    // electron-builder's own rebuild would run node-gyp for every module again, online.
    expect(config.npmRebuild).toBe(false);
  });

  it('unpack every native binary of better-sqlite3, sharp and onnxruntime-node from the asar archive', () => {
    const natives = ['better-sqlite3', 'sharp', '@img', 'onnxruntime-node']
      .flatMap((m) => filesUnder(join(repo, 'node_modules', m)))
      .filter((f) => /\.(node|so(\.\d+)*|dll|dylib)$/.test(f) && packaged(f));
    for (const m of ['better-sqlite3', 'onnxruntime-node']) expect(natives.some((f) => f.includes(`node_modules/${m}/`)), m).toBe(true);
    for (const f of natives) expect(unpacked(f), f).toBe(true);
    for (const f of ['node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1', 'node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7']) {
      expect(unpacked(f), f).toBe(true);
    }
    // Worker threads are loaded by path: kept on disk beside the archive.
    expect(unpacked('out/main/generator-worker.js')).toBe(true);
    expect(unpacked('out/main/scorer-worker.js')).toBe(true);
    expect(unpacked('out/main/pair-scorer-worker.js')).toBe(true);
  });

  it('pack the built app and its runtime resources, and leave out sources, tests, maps, the CLI runner and the CUDA provider files', () => {
    expect(pkg.main).toBe('out/main/index.js');
    for (const f of ['out/main/index.js', 'out/main/engine.js', 'out/preload/index.js', 'out/renderer/index.html', 'package.json']) expect(packaged(f), f).toBe(true);
    for (const f of [
      'src-main/electron/main.ts',
      'src-renderer/src/App.tsx',
      'test/unit/packaging/installers.test.ts',
      'docs/dataset-browser.png',
      'out/main/index.js.map',
      'bin/gaa.js',
      'node_modules/tsx/dist/cli.mjs',
      'node_modules/@esbuild/linux-x64/bin/esbuild',
      'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c',
      'node_modules/better-sqlite3/build/Release/obj.target/better_sqlite3.node',
      // Optional beside the app, installed by hand on a PC with an NVIDIA GPU (README).
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_shared.so',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_tensorrt.so',
    ]) {
      expect(packaged(f), f).toBe(false);
    }
    // The demo recipe is found under process.resourcesPath in a packaged app (io/demo-writer.ts).
    expect(config.extraResources).toContainEqual({ from: 'resources/demo', to: 'resources/demo' });
    for (const r of config.extraResources) expect(existsSync(join(repo, r.from)), r.from).toBe(true);
  });
});
