/**
 * A filtered image list that is never held whole: pages of `dataset.listImages` are fetched
 * when a row scrolls into view (or the viewer steps onto it) and kept by page index.
 * The grid and the viewer share one instance, so ←/→ in the viewer walks the same list.
 */
import type { ImageKind, ImageSplit, ImageSummary } from '../../../src-main/api/contract';
import { api } from '../api';
import { PagedList, usePagedListVersion } from './pagedList';

export interface ImageFilter {
  categoryId?: number;
  kind?: ImageKind;
  defectType?: string;
  split?: ImageSplit;
  hasError?: boolean;
}

export const PAGE_SIZE = 200;

/** `dataset.listImages` under one filter, paged like every other engine list. */
export class ImageList extends PagedList<ImageSummary> {
  constructor(readonly filter: ImageFilter) {
    super((offset, limit) => api.invoke('dataset.listImages', { ...filter, offset, limit }), PAGE_SIZE);
  }
}

/** Re-renders the caller whenever the list gains pages or its total changes. */
export const useImageListVersion: (list: ImageList) => number = usePagedListVersion;

/**
 * Given images (a cluster's members, the normal images under a page of aligned masks) as a list
 * the viewer steps through: each page is read with `dataset.image`, in the given order.
 */
export class ImageIdList extends PagedList<ImageSummary> {
  constructor(readonly imageIds: readonly number[]) {
    super(async (offset, limit) => ({
      total: imageIds.length,
      items: await Promise.all(imageIds.slice(offset, offset + limit).map((imageId) => api.invoke('dataset.image', { imageId }))),
    }), 50);
  }
}
