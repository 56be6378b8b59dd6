/** The export preview: per category and cluster the images each format will hold, and the files in all. */
import type { ExportFormatName, ExportPreviewInfo } from '../../../src-main/api/contract';

export const FORMAT_LABELS: Record<ExportFormatName, string> = {
  mvtec: 'MVTec AD',
  folder: 'anomalib Folder',
  coco: 'COCO',
  yolo: 'YOLO-seg',
};

const plural = (n: number) => (n === 1 ? '' : 's');

function rowLabel(r: ExportPreviewInfo['rows'][number]): string {
  if (r.kind === 'normals') return 'good (normal, train)';
  if (r.kind === 'heldOutNormals') return 'test/good (normal, held out)';
  return r.real > 0 ? `${r.cluster} (${r.real} real)` : r.cluster;
}

export function PreviewTable({ preview, title = 'What will be written' }: { preview: ExportPreviewInfo; title?: string }) {
  const multiCategory = new Set(preview.rows.map((r) => r.category)).size > 1;
  return (
    <div className="export-preview" data-testid="export-preview" data-files={preview.files}>
      <h3>{title}</h3>
      <table className="types">
        <thead>
          <tr>
            {multiCategory && <th>Category</th>}
            <th>Folder</th>
            {preview.formats.map((f) => (
              <th key={f} className="num">
                {FORMAT_LABELS[f]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={`${r.category}/${r.kind}/${r.cluster}`} data-testid="export-preview-row" data-category={r.category} data-cluster={r.cluster} data-kind={r.kind} data-images={r.images}>
              {multiCategory && <td>{r.category}</td>}
              <td>{rowLabel(r)}</td>
              {preview.formats.map((f) => (
                <td key={f} className="num mono" data-format={f}>
                  {r.perFormat[f] ? r.perFormat[f] : '—'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted" data-testid="export-preview-summary">
        {preview.pairs} pairs, {preview.normals} normal training images and {preview.heldOutNormals} held-out normal images · {preview.files} files
      </p>
      {(preview.warnings ?? []).map((w) => (
        <p className="small warn" key={w} data-testid="export-preview-warning">
          {w}
        </p>
      ))}
      {(preview.leftOut.unscored > 0 || preview.leftOut.stale > 0) && (
        <div className="small warn" data-testid="export-left-out-work" data-unscored={preview.leftOut.unscored} data-stale={preview.leftOut.stale}>
          {preview.leftOut.unscored > 0 && (
            <p data-testid="export-left-out-unscored">
              {preview.leftOut.unscored} unscored pair{plural(preview.leftOut.unscored)} left out (score them on Review to have the filter choose among them).
            </p>
          )}
          {preview.leftOut.stale > 0 && (
            <p data-testid="export-left-out-stale">
              {preview.leftOut.stale} stale pair{plural(preview.leftOut.stale)} left out: made before their cluster or region changed (redo them on Masks).
            </p>
          )}
          <ul className="muted">
            {preview.leftOut.byCluster.filter((c) => c.stale > 0 || c.unscored > 0).map((c) => (
              <li key={`${c.category}/${c.cluster}`} data-testid="export-left-out-cluster" data-cluster={c.cluster} data-stale={c.stale} data-unscored={c.unscored}>
                {multiCategory ? `${c.category} · ` : ''}
                {c.cluster}: {[c.unscored > 0 ? `${c.unscored} unscored` : '', c.stale > 0 ? `${c.stale} stale` : ''].filter(Boolean).join(', ')}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview.leftOut.breaksAlignment > 0 && (
        <p className="small warn" data-testid="export-preview-left-out">
          {preview.leftOut.breaksAlignment} chosen pair{preview.leftOut.breaksAlignment === 1 ? '' : 's'} left out: they change pixels outside their mask.
        </p>
      )}
      {preview.leftOut.invisible > 0 && (
        <p className="small warn" data-testid="export-preview-invisible">
          {preview.leftOut.invisible} chosen pair{preview.leftOut.invisible === 1 ? '' : 's'} left out: too faint to show their defect (under a tenth of
          the mask visibly changed, or under the contrast floor asked for) (
          {preview.leftOut.byCluster
            .filter((c) => c.invisible > 0)
            .map((c) => `${multiCategory ? `${c.category} · ` : ''}${c.cluster} ${c.invisible}`)
            .join(', ')}
          ).
        </p>
      )}
    </div>
  );
}
