/**
 * The export default the newest value check of a category chose (issue 11 item 7): read when the
 * category is chosen and again whenever one of its value checks finishes.
 */
import { useEffect, useState } from 'react';
import type { ValueRecommendation } from '../../../src-main/api/contract';
import { api } from '../api';
import { useJobSelector } from '../state/jobs';
import { stageJobs } from '../state/jobStore';

export function useValueRecommendation(categoryId: number | null): ValueRecommendation | null {
  const latest = useJobSelector((s) => (categoryId === null ? undefined : stageJobs(s, 'value', categoryId)[0]));
  const [rec, setRec] = useState<ValueRecommendation | null>(null);
  useEffect(() => {
    setRec(null);
    if (categoryId === null) return;
    let live = true;
    api
      .invoke('value.recommendation', { categoryId })
      .then((r) => live && setRec(r))
      .catch(() => live && setRec(null));
    return () => {
      live = false;
    };
  }, [categoryId, latest?.jobId, latest?.status]);
  return rec;
}
