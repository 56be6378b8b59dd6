/** A stage's empty state under "all categories": what it needs, and the project's one category choice. */
import type { ReactNode } from 'react';
import { useStageCategory } from '../state/stage';

export function CategoryPrompt({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const { categories, pick } = useStageCategory();
  return (
    <div className="pick-category" data-testid={testId}>
      <h2>{title}</h2>
      <p className="muted">{children}</p>
      <select value="" onChange={(e) => e.target.value && pick(Number(e.target.value))} data-testid="stage-category" aria-label="Category">
        <option value="">Choose a category…</option>
        {categories.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <p className="muted small">The choice is the header’s: every screen follows it.</p>
    </div>
  );
}
