/** The Regions screen's left column: the category's regions (pick the active one, add one) and its training images. */
import { useState, type FormEvent } from 'react';
import type { ImageSummary, RegionState } from '../../../src-main/api/contract';
import { api } from '../api';

export function RegionList({
  state,
  activeId,
  onActive,
  onCreate,
}: {
  state: RegionState;
  activeId: number | null;
  onActive(id: number): void;
  onCreate(name: string): Promise<boolean>;
}) {
  const [name, setName] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim() && (await onCreate(name.trim()))) setName('');
  }
  return (
    <section className="side-section">
      <h3>Regions</h3>
      <ul className="region-list" data-testid="region-list">
        {state.regions.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className={r.id === activeId ? 'region-item active' : 'region-item'}
              onClick={() => onActive(r.id)}
              data-testid="region-item"
              data-region={r.name}
              data-active={r.id === activeId}
            >
              <span className="swatch" style={{ background: r.colour }} />
              {r.name}
            </button>
          </li>
        ))}
        {state.regions.length === 0 && <li className="muted small">No regions yet: name the parts of the object (e.g. nuts, label).</li>}
      </ul>
      <form className="region-new" onSubmit={(e) => void submit(e)}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="New region name" maxLength={120} data-testid="region-new-name" />
        <button type="submit" className="btn small" disabled={!name.trim()} data-testid="region-new">
          New region
        </button>
      </form>
    </section>
  );
}

export function ImagePicker({
  images,
  total,
  state,
  currentId,
  onPick,
}: {
  images: ImageSummary[] | null;
  total: number;
  state: RegionState;
  currentId: number | null;
  onPick(img: ImageSummary): void;
}) {
  const labelled = new Map(state.labelled.map((l) => [l.imageId, l.regions]));
  const propagated = new Map(state.propagated.map((p) => [p.imageId, p]));
  return (
    <section className="side-section region-images">
      <h3>
        Training images <span className="muted">({labelled.size} labelled)</span>
      </h3>
      {!images ? (
        <span className="spinner" />
      ) : (
        <ul data-testid="region-images">
          {images.map((img) => {
            const regions = labelled.get(img.id);
            const prop = propagated.get(img.id);
            return (
              <li key={img.id}>
                <button
                  type="button"
                  className={img.id === currentId ? 'region-image active' : 'region-image'}
                  onClick={() => onPick(img)}
                  title={regions ? `labelled: ${regions.join(', ')}` : img.relPath}
                  data-testid="region-image"
                  data-image-id={img.id}
                  data-labelled={!!regions}
                >
                  <img src={api.imageUrl({ kind: 'thumb', imageId: img.id })} alt="" loading="lazy" draggable={false} />
                  <span className="mono small region-image-name">{img.relPath.split('/').slice(-1)[0]}</span>
                  {regions && <span className="badge labelled">labelled</span>}
                  {!regions && prop && <span className={`badge ${prop.status}`}>{prop.confidence.toFixed(2)}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {images && total > images.length && <p className="muted small">Showing the first {images.length} of {total}.</p>}
    </section>
  );
}
