import { chooseFewShot } from '../../core/dataset/few-shot-split';
import { getCategory } from '../../store/categories';
import type { Db } from '../../store/db';
import { setImageSplit, splitCandidates } from '../../store/images';

/**
 * METHOD.md §0: per defect type, one third (seeded, at least one) is few-shot. Images the user
 * moved by hand keep their place; the draw covers the rest.
 */
export function redrawFewShotSplit(db: Db, categoryId: number): void {
  const category = getCategory(db, categoryId);
  if (!category) return;
  const byType = new Map<string, { id: number; key: string; manual: boolean }[]>();
  for (const c of splitCandidates(db, categoryId)) {
    const list = byType.get(c.defectType) ?? [];
    list.push(c);
    byType.set(c.defectType, list);
  }
  for (const [defectType, list] of byType) {
    const chosen = chooseFewShot(list, category.split_seed, defectType);
    for (const c of list) {
      if (c.manual) continue;
      setImageSplit(db, c.id, chosen.has(c.id) ? 'fewshot' : 'heldout', false);
    }
  }
}
