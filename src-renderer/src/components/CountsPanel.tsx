/** Counts per category and per defect type, with the stored few-shot split (METHOD.md §0). */
import type { CategoryInfo } from '../../../src-main/api/contract';

const fmt = (n: number) => n.toLocaleString('en-US');

export function CountsPanel({
  categories,
  activeType,
  onPickType,
}: {
  categories: CategoryInfo[];
  activeType: string;
  onPickType(t: string): void;
}) {
  return (
    <section className="side-section counts" data-testid="counts">
      <h3>Counts</h3>
      {categories.length === 0 && <p className="muted">No categories imported yet.</p>}
      {categories.map((c) => (
        <div key={c.id} className="counts-category" data-testid="category-counts" data-category={c.name} data-category-id={c.id}>
          <div className="counts-title">
            <span>{c.name}</span>
            <span className="muted small" title="Seed of the stored few-shot split">
              split seed {c.splitSeed}
            </span>
          </div>
          <dl className="counts-grid">
            <dt>Normal</dt>
            <dd data-testid="count-normal">{fmt(c.counts.normal)}</dd>
            <dt>Anomaly</dt>
            <dd data-testid="count-anomaly">{fmt(c.counts.anomaly)}</dd>
            <dt>Masks</dt>
            <dd data-testid="count-masks">{fmt(c.counts.masks)}</dd>
            <dt>Few-shot</dt>
            <dd data-testid="count-fewshot">{fmt(c.counts.fewShot)}</dd>
            <dt>Held-out</dt>
            <dd data-testid="count-heldout">{fmt(c.counts.heldOut)}</dd>
            <dt>Errors</dt>
            <dd data-testid="count-errors" className={c.counts.errors > 0 ? 'warn' : undefined}>
              {fmt(c.counts.errors)}
            </dd>
          </dl>
          {c.defectTypes.length > 0 && (
            <table className="types">
              <thead>
                <tr>
                  <th>Type</th>
                  <th title="Anomaly images">Img</th>
                  <th title="Few-shot training set">FS</th>
                  <th title="Held out for evaluation">HO</th>
                  <th title="Masks">Msk</th>
                </tr>
              </thead>
              <tbody>
                {c.defectTypes.map((t) => (
                  <tr
                    key={t.defectType}
                    className={t.defectType === activeType ? 'active' : undefined}
                    onClick={() => onPickType(t.defectType === activeType ? '' : t.defectType)}
                    data-testid="type-counts"
                    data-type={t.defectType}
                    title={`Show only ${t.defectType}`}
                  >
                    <td>{t.defectType}</td>
                    <td data-testid="type-anomaly">{fmt(t.anomaly)}</td>
                    <td data-testid="type-fewshot">{fmt(t.fewShot)}</td>
                    <td data-testid="type-heldout">{fmt(t.heldOut)}</td>
                    <td data-testid="type-masks">{fmt(t.masks)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}
