/**
 * A stage that works on one category: the project's one category choice (the header's), and a
 * way to set it from the screen when it is "all"; picking here picks it for every screen.
 */
import { useMemo } from 'react';
import { useCategoryChoice } from './category';
import { useProject } from './project';

export function useStageCategory() {
  const { project } = useProject();
  const { categoryId: chosen, setCategoryId } = useCategoryChoice();
  const categories = useMemo(() => (project?.categories ?? []).map((c) => ({ id: c.id, name: c.name })), [project]);
  const categoryId = categories.some((c) => c.id === chosen) ? chosen : undefined;
  return { categories, categoryId, pick: setCategoryId };
}

/** True when keys belong to a form field, not to the screen's shortcuts. */
export function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}

/** Calls `fn` at most once per `ms` (trailing), for progress-driven refetches. */
export function throttle(fn: () => void, ms: number): { call(): void; cancel(): void } {
  let last = 0;
  let timer: number | undefined;
  return {
    call() {
      if (timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        last = Date.now();
        fn();
      }, Math.max(0, last + ms - Date.now()));
    },
    cancel() {
      if (timer !== undefined) window.clearTimeout(timer);
      timer = undefined;
    },
  };
}
