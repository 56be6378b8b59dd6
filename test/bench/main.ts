/**
 * `npm run bench -- <name> [options]`: speed measurements, printed as one JSON document.
 * Never part of `npm test`, never gating on an absolute time.
 */
import { benchCluster } from './cluster';
import { benchPipeline } from './end-to-end';
import { benchExport } from './export';
import { benchGrid } from './grid';
import { benchImport } from './import';
import { benchOnnx } from './onnx';
import { benchPeer } from './peer';
import { benchGenerate, benchMasks, benchPropagate } from './pipeline';
import { benchScore } from './score';
import { benchSheet } from './sheet';

const benches: Record<string, (args: string[]) => Promise<unknown>> = {
  import: benchImport,
  cluster: benchCluster,
  masks: benchMasks,
  propagate: benchPropagate,
  generate: benchGenerate,
  score: benchScore,
  export: benchExport,
  onnx: benchOnnx,
  peer: benchPeer,
  pipeline: benchPipeline,
  sheet: benchSheet,
  grid: benchGrid,
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const chosen = name ? [name] : Object.keys(benches);
  const results: Record<string, unknown> = {};
  for (const n of chosen) {
    const bench = benches[n];
    if (!bench) throw new Error(`unknown bench "${n}"; known: ${Object.keys(benches).join(', ')}`);
    results[n] = await bench(rest);
  }
  process.stdout.write(`${JSON.stringify({ node: process.version, cpus: require('node:os').cpus().length, results }, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
