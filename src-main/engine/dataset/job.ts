import { basename, resolve } from 'node:path';
import type { JobParams } from '../../api/jobs';
import type { ImageSplit, ImportJobResult } from '../../api/types';
import { ItemDecodeError, type ScanItem } from '../../core/dataset';
import { decodeItem, scanDataset, type DecodedItem } from '../../io/dataset-reader';
import { upsertCategory } from '../../store/categories';
import { recordItemError } from '../../store/errors';
import { findImageByHash, findImageByRelPath, getImage, insertImage, type NewMask } from '../../store/images';
import { redrawFewShotSplit } from './few-shot-split';
import { upsertSource } from '../../store/sources';
import type { ProjectSession } from '../session';
import type { JobBody, JobContext } from '../jobs/runner';
import { MAX_INPUT_PIXELS } from '../../io/image-codec';

/** Decodes in flight at once: sharp works on libuv's pool, so this keeps both cores busy. */
const DECODE_CONCURRENCY = 4;
const MAX_ERRORS_IN_RESULT = 500;

/**
 * The import job: scan the dataset, decode each item (sharp, off the main thread), store it
 * with its masks and thumbnail in one transaction per item, then draw the few-shot split.
 */
/** The import job's stored parameters (contract: `jobs.import`). */
export type ImportParams = JobParams<'import'>;

export function importJob(session: ProjectSession, params: ImportParams): JobBody<ImportJobResult> {
  return async (ctx: JobContext): Promise<ImportJobResult | null> => {
    const { db, blobs } = session;
    const source = resolve(params.source);
    ctx.message(`Scanning ${source}`);
    const scan = await scanDataset(source, params.layout);
    const sourceId = upsertSource(db, source, scan.layout);

    const categoryIds = new Map<string, number>();
    for (const c of scan.categories) categoryIds.set(c.name, upsertCategory(db, c.name, c.defectsConfig));

    const errors: { file: string; reason: string }[] = [];
    const scanKeys = scan.errors.map((e, i) => ({ key: `scan-error:${i}:${e.file}`, e }));
    ctx.setTotal(scan.items.length + scanKeys.length);
    for (const { key, e } of scanKeys) {
      if (ctx.finished.has(key)) continue;
      ctx.commitItem(key, 'failed', () => recordItemError(db, { jobId: ctx.jobId, imageId: null, file: e.file, reason: e.reason }));
      errors.push(e);
    }

    let imported = 0;
    let duplicates = 0;
    const pending = scan.items.filter((it) => !ctx.finished.has(itemKey(it)));
    ctx.message(`Importing ${pending.length} images`);

    // Files decode in parallel but are stored in listing order, so image ids (and everything
    // seeded by them: the few-shot split, training subsets, self-check samples) and which of two
    // identical files counts as the duplicate are the same on every import of the same folder.
    const committed = pending.map(() => {
      let open!: () => void;
      const gate = new Promise<void>((ok) => (open = ok));
      return { gate, open };
    });
    let next = 0;
    const worker = async () => {
      while (next < pending.length && !ctx.signal.aborted) {
        const index = next++;
        try {
          await importOne(pending[index], index);
        } finally {
          committed[index].open();
        }
      }
    };
    /**
     * The image's name in its category: its path in the dataset, or, when another folder already
     * gave an image that name (a re-import that adds images), the path under this folder's name.
     * Null when this very file is in the project already.
     */
    const relPathFor = (categoryId: number, item: (typeof pending)[number]): string | null => {
      for (let n = 1; ; n++) {
        const rel = n === 1 ? item.relPath : `${basename(source)}${n === 2 ? '' : `~${n - 1}`}/${item.relPath}`;
        const id = findImageByRelPath(db, categoryId, rel);
        if (id === null) return rel;
        if (getImage(db, id)?.sourcePath === item.imagePath) return null;
      }
    };
    const importOne = async (item: (typeof pending)[number], index: number): Promise<void> => {
      const key = itemKey(item);
      let decoded: DecodedItem | null = null;
      let failure: { file: string; reason: string } | null = null;
      try {
        decoded = await decodeItem(item, { limitInputPixels: MAX_INPUT_PIXELS });
      } catch (err) {
        failure =
          err instanceof ItemDecodeError
            ? { file: err.file, reason: err.reason }
            : { file: item.imagePath, reason: err instanceof Error ? err.message : String(err) };
      }
      if (index > 0) await committed[index - 1].gate;
      if (ctx.signal.aborted) return;
      const categoryId = categoryIds.get(item.category) ?? upsertCategory(db, item.category);
      const relPath = relPathFor(categoryId, item);
      if (relPath === null) {
        ctx.commitItem(key, 'skipped');
        return;
      }
      const twin = decoded ? findImageByHash(db, categoryId, decoded.hash) : null;
      if (twin !== null) {
        // Reported, not silent: the user should know why a file is missing from the browser.
        const reason = `same content as ${getImage(db, twin)?.relPath ?? `image ${twin}`}; skipped as a duplicate`;
        duplicates++;
        ctx.commitItem(key, 'skipped', () => recordItemError(db, { jobId: ctx.jobId, imageId: null, file: item.imagePath, reason }));
        return;
      }
      const dec = decoded;
      const fail = failure;
      // Blob files first (content-addressed, harmless if orphaned), rows after, in one transaction.
      const thumbBlob = dec ? blobs.put(dec.thumbnail, 'jpg') : null;
      const masks: NewMask[] = dec
        ? dec.masks.map((m) => ({
            role: m.role,
            regionIndex: m.regionIndex,
            sourcePath: m.sourcePath,
            width: m.width,
            height: m.height,
            area: m.area,
            blob: blobs.put(m.png, 'png'),
          }))
        : [];
      ctx.commitItem(key, fail ? 'failed' : 'done', () => {
        const imageId = insertImage(
          db,
          {
            categoryId,
            sourceId,
            kind: item.kind,
            defectType: item.defectType,
            origin: item.origin,
            split: initialSplit(item),
            sourcePath: item.imagePath,
            relPath,
            width: dec?.width ?? 0,
            height: dec?.height ?? 0,
            channels: dec?.channels ?? 0,
            bitDepth: dec?.bitDepth ?? 0,
            hash: dec?.hash ?? null,
            thumbBlob,
            hasError: fail !== null,
          },
          masks,
        );
        if (fail) recordItemError(db, { jobId: ctx.jobId, imageId, file: fail.file, reason: fail.reason });
      });
      if (fail) errors.push(fail);
      else imported++;
    };
    await Promise.all(Array.from({ length: DECODE_CONCURRENCY }, worker));
    if (ctx.signal.aborted) return null;

    ctx.message('Drawing the few-shot split');
    db.transaction(() => {
      for (const id of new Set(categoryIds.values())) redrawFewShotSplit(db, id);
    })();

    const result: ImportJobResult = {
      source,
      layout: scan.layout,
      categories: scan.categories.map((c) => c.name),
      imported,
      duplicates,
      failed: errors.length,
      errors: errors.slice(0, MAX_ERRORS_IN_RESULT),
    };
    return result;
  };
}

function itemKey(item: ScanItem): string {
  return `${item.category}/${item.relPath}`;
}

function initialSplit(item: ScanItem): ImageSplit {
  if (item.kind === 'anomaly') return 'heldout';
  return item.origin === 'test' ? 'test' : 'train';
}
