import { ApiError } from '../../api/contract';
import type { Segmenter } from '../../core/onnx/segmenter';
import { openSegmenter } from '../../io/onnx-runtime';
import { listPacks } from '../../io/packs';
import { loadSettings, packsDir } from '../app/settings';

/**
 * The installed segmenter pack (the first by name when there are several), opened once and
 * kept while it stays installed unchanged, so its embedding cache survives between clicks.
 */
export function segmenterSource(userDataDir: string): () => Promise<Segmenter> {
  let open: { key: string; segmenter: Segmenter } | null = null;
  return async () => {
    const dir = packsDir(userDataDir);
    const pack = (await listPacks(dir)).packs.find((p) => p.kind === 'segmenter');
    if (!pack) throw new ApiError('not_found', `no segmenter pack is installed in ${dir}`);
    const { settings } = loadSettings(userDataDir);
    const key = JSON.stringify([pack.dir, pack.manifest.version, settings.executionProvider, settings.intraOpThreads]);
    if (open?.key !== key) {
      open?.segmenter.clear();
      const segmenter = openSegmenter(pack, {
        provider: settings.executionProvider,
        ...(settings.intraOpThreads !== null ? { intraOpThreads: settings.intraOpThreads } : {}),
      });
      open = { key, segmenter };
    }
    return open.segmenter;
  };
}
