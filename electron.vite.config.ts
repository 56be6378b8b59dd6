import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three bundles, one per trust level: main (privileged), preload (bridge), renderer (untrusted UI).
// The engine process is a second main-process entry so native work never runs on the window's thread.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          engine: resolve(__dirname, 'src-main/engine/process/main.ts'),
          'generator-worker': resolve(__dirname, 'src-main/engine/workers/generator-worker.ts'),
          'scorer-worker': resolve(__dirname, 'src-main/engine/workers/scorer-worker.ts'),
          'pair-scorer-worker': resolve(__dirname, 'src-main/engine/workers/pair-scorer-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only `electron`: bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src-preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
    plugins: [react()],
  },
});
