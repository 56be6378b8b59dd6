/**
 * The one category choice of an open project: the header's picker and every stage screen read
 * and set the same value, so a category picked on one screen is the category of all of them.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';

interface CategoryChoice {
  /** The chosen category; undefined: all categories. */
  categoryId: number | undefined;
  setCategoryId(id: number | undefined): void;
}

const CategoryContext = createContext<CategoryChoice>({ categoryId: undefined, setCategoryId: () => undefined });

export function CategoryProvider({ categoryId, setCategoryId, children }: CategoryChoice & { children: ReactNode }) {
  const value = useMemo(() => ({ categoryId, setCategoryId }), [categoryId, setCategoryId]);
  return <CategoryContext.Provider value={value}>{children}</CategoryContext.Provider>;
}

export function useCategoryChoice(): CategoryChoice {
  return useContext(CategoryContext);
}
