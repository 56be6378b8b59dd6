import type { CategoryInfo, DefectTypeCounts, ProjectInfo } from '../api/types';
import { listCategories } from './categories';
import { schemaVersion, type Db } from './db';
import { getProjectName } from './project';
import { stmt } from './statements';

interface TypeRow {
  categoryId: number;
  kind: 'normal' | 'anomaly';
  defectType: string;
  images: number;
  masks: number;
  fewShot: number;
  heldOut: number;
  errors: number;
}

/**
 * Everything the header, start screen and `gaa info` show, in one grouped query. Image counts
 * are of usable images; items that failed to decode are counted under `errors` only.
 */
export function projectInfo(db: Db, dir: string): ProjectInfo {
  const rows = stmt(
    db,
    `SELECT i.category_id AS categoryId, i.kind, i.defect_type AS defectType, SUM(i.has_error = 0) AS images,
       SUM((SELECT COUNT(*) FROM masks m WHERE m.image_id = i.id AND m.role = 'union')) AS masks,
       SUM(i.split = 'fewshot' AND i.has_error = 0) AS fewShot, SUM(i.split = 'heldout' AND i.has_error = 0) AS heldOut, SUM(i.has_error) AS errors
     FROM images i GROUP BY i.category_id, i.kind, i.defect_type ORDER BY i.defect_type`,
  ).all() as TypeRow[];
  const categories: CategoryInfo[] = listCategories(db).map((c) => {
    const mine = rows.filter((r) => r.categoryId === c.id);
    const defectTypes: DefectTypeCounts[] = mine
      .filter((r) => r.kind === 'anomaly')
      .map((r) => ({ defectType: r.defectType, anomaly: r.images, masks: r.masks, fewShot: r.fewShot, heldOut: r.heldOut }));
    const sum = (f: (r: TypeRow) => number) => mine.reduce((a, r) => a + f(r), 0);
    return {
      id: c.id,
      name: c.name,
      splitSeed: c.split_seed,
      defectTypes,
      counts: {
        normal: sum((r) => (r.kind === 'normal' ? r.images : 0)),
        anomaly: sum((r) => (r.kind === 'anomaly' ? r.images : 0)),
        masks: sum((r) => r.masks),
        fewShot: sum((r) => r.fewShot),
        heldOut: sum((r) => r.heldOut),
        errors: sum((r) => r.errors),
      },
    };
  });
  const errors = (stmt(db, 'SELECT COUNT(*) AS n FROM item_errors').get() as { n: number }).n;
  return {
    dir,
    name: getProjectName(db) ?? dir,
    schemaVersion: schemaVersion(db),
    categories,
    totals: {
      normal: categories.reduce((a, c) => a + c.counts.normal, 0),
      anomaly: categories.reduce((a, c) => a + c.counts.anomaly, 0),
      masks: categories.reduce((a, c) => a + c.counts.masks, 0),
      errors,
    },
  };
}
