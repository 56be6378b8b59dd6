/** A stage that works on one category: follows the shell's choice, asks for one under "all". */
import { useEffect, useMemo, useState } from 'react';
import { useProject } from './project';

export function useStageCategory(shellCategory: number | undefined) {
  const { project } = useProject();
  const categories = useMemo(() => (project?.categories ?? []).map((c) => ({ id: c.id, name: c.name })), [project]);
  const [picked, setPicked] = useState<number | undefined>(shellCategory);
  useEffect(() => {
    if (shellCategory !== undefined) setPicked(shellCategory);
  }, [shellCategory]);
  const categoryId = categories.some((c) => c.id === picked) ? picked : undefined;
  return { categories, categoryId, pick: setPicked };
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
