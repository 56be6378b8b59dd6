import type { Migration } from './index';

/**
 * v5: cluster ids that are never reused, and a repair for projects hurt by the old undo.
 *
 * Undo used to delete and re-insert a category's clusters, and the aligned masks' and pairs'
 * `ON DELETE SET NULL` cut every one of them off its cluster. Undo now updates clusters in
 * place; this migration reattaches what was cut off to the cluster that holds its few-shot
 * source image (the cluster it was made from, for every edit but a re-run), and starts an id
 * sequence above every id a cluster or an undo snapshot has used, so restoring a snapshot can
 * never take over an id that another cluster received meanwhile.
 */
export const migration005: Migration = {
  version: 5,
  name: 'cluster-ids',
  up: `
    CREATE TABLE cluster_id_seq (next INTEGER NOT NULL);
    INSERT INTO cluster_id_seq (next) SELECT 1 + MAX(
      COALESCE((SELECT MAX(id) FROM clusters), 0),
      COALESCE((SELECT MAX(json_extract(c.value, '$.id')) FROM cluster_history h, json_each(h.snapshot, '$.clusters') c), 0));
    CREATE TEMP TABLE cut_off AS SELECT id FROM aligned_masks WHERE cluster_id IS NULL;
    UPDATE aligned_masks SET cluster_id = (
      SELECT m.cluster_id FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id
      WHERE m.image_id = aligned_masks.source_image_id AND c.category_id = aligned_masks.category_id)
    WHERE id IN (SELECT id FROM cut_off);
    -- A logical mask has no source image: the cluster of the same name, which undo restored.
    UPDATE aligned_masks SET cluster_id = (
      SELECT c.id FROM clusters c WHERE c.category_id = aligned_masks.category_id AND c.name = aligned_masks.cluster_name
      ORDER BY c.id LIMIT 1)
    WHERE id IN (SELECT id FROM cut_off) AND cluster_id IS NULL;
    UPDATE aligned_masks SET cluster_name = (SELECT name FROM clusters WHERE id = aligned_masks.cluster_id)
    WHERE id IN (SELECT id FROM cut_off) AND cluster_id IS NOT NULL;
    DROP TABLE cut_off;
    UPDATE samples SET cluster_id = a.cluster_id, cluster_name = a.cluster_name
    FROM aligned_masks a WHERE a.id = samples.aligned_mask_id AND samples.cluster_id IS NULL;
  `,
};
