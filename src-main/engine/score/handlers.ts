/** score.*: train the category's scorer and score every pair (LQSF, METHOD.md §5); the current scorer's settings and self-check. */
import type { ScorerInfo, ScorerModelKind, ScorerSelfCheck } from '../../api/types';
import type { Db } from '../../store/db';
import { latestScorer } from '../../store/scorers';
import { resolveBackboneChoice } from '../backbone-choice';
import type { EngineContext, NamespaceHandlers } from '../context';
import type { ScoreParams } from './job';

/** The category's newest scorer, for the Review screen (`score.info`). */
export function scorerInfo(db: Db, categoryId: number): ScorerInfo | null {
  const row = latestScorer(db, categoryId);
  if (!row) return null;
  const s = JSON.parse(row.settings) as { epochs: number; batchImages: number; patchFraction?: number; maxTrainImages: number; extractor: string };
  const stored = JSON.parse(row.model) as { lossHistory?: number[]; kind?: ScorerModelKind };
  const losses = stored.lossHistory ?? [];
  return {
    id: row.id,
    createdAt: row.created_at,
    extractor: s.extractor,
    model: stored.kind ?? 'simplenet',
    epochs: s.epochs,
    batchImages: s.batchImages,
    patchFraction: s.patchFraction ?? 1,
    maxTrainImages: s.maxTrainImages,
    finalLoss: losses.length ? losses[losses.length - 1] : null,
    selfCheck: row.self_check ? (JSON.parse(row.self_check) as ScorerSelfCheck) : null,
  };
}

export function scoreHandlers(ctx: EngineContext, userDataDir: string): NamespaceHandlers<'score'> {
  return {
    'score.run': async (a) => {
      const params: ScoreParams = {
        categoryId: ctx.category(a.categoryId),
        epochs: a.epochs,
        batchImages: a.batchImages,
        patchFraction: a.patchFraction,
        maxTrainImages: a.maxTrainImages,
        seed: a.seed,
        keep: a.keep,
        model: a.model,
        ...(a.extractor !== 'handcrafted' ? { backbone: await resolveBackboneChoice(userDataDir, a.extractor.backbonePack) } : {}),
      };
      return ctx.startJob('score', params);
    },
    'score.info': (a) => scorerInfo(ctx.session().db, ctx.category(a.categoryId)),
  };
}
