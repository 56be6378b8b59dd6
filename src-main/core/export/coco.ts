/** COCO instance-segmentation JSON, one document per category: clusters are the COCO categories. */
import type { Mask } from '../image/raster';
import type { MaskInstance } from './components';

/** Uncompressed COCO RLE: counts of alternating runs (starting with background) in column-major order. */
export interface CocoRle {
  size: [number, number];
  counts: number[];
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: number[][] | CocoRle;
  area: number;
  bbox: [number, number, number, number];
  iscrowd: 0;
}

export interface CocoImage {
  id: number;
  /** Relative to the export root. */
  file_name: string;
  width: number;
  height: number;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
}

export interface CocoDocument {
  info: { description: string; version: string; date_created: string };
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

/** pycocotools' column-major run lengths; the first run counts background and may be 0. */
export function encodeRle(mask: Mask): CocoRle {
  const { width: w, height: h, data } = mask;
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      const on = data[y * w + x] !== 0 ? 1 : 0;
      if (on !== current) {
        counts.push(run);
        run = 0;
        current = on;
      }
      run++;
    }
  }
  counts.push(run);
  return { size: [h, w], counts };
}

/** Builds one category's document as pairs are added, so pixels never pile up in memory. */
export class CocoBuilder {
  private readonly images: CocoImage[] = [];
  private readonly annotations: CocoAnnotation[] = [];
  private readonly categories: CocoCategory[] = [];
  private readonly categoryIds = new Map<string, number>();

  constructor(private readonly supercategory: string) {}

  categoryId(cluster: string): number {
    let id = this.categoryIds.get(cluster);
    if (id === undefined) {
      id = this.categories.length + 1;
      this.categoryIds.set(cluster, id);
      this.categories.push({ id, name: cluster, supercategory: this.supercategory });
    }
    return id;
  }

  /**
   * One image with one annotation per 8-connected component: its outer polygon, or, where the
   * component has holes a polygon cannot express, its exact RLE. Always iscrowd 0, since COCO
   * evaluation ignores crowd regions and these are individual defects.
   */
  addImage(fileName: string, width: number, height: number, cluster: string, instances: readonly MaskInstance[]): void {
    const imageId = this.images.length + 1;
    this.images.push({ id: imageId, file_name: fileName, width, height });
    const categoryId = this.categoryId(cluster);
    for (const inst of instances) {
      const segmentation = inst.hasHoles && inst.pixels ? encodeRle(inst.pixels) : [inst.polygon.flatMap(([x, y]) => [x, y])];
      this.annotations.push({
        id: this.annotations.length + 1,
        image_id: imageId,
        category_id: categoryId,
        segmentation,
        area: inst.area,
        bbox: inst.bbox,
        iscrowd: 0,
      });
    }
  }

  build(createdAt: string): CocoDocument {
    return {
      info: { description: `GAA Workbench export (${this.supercategory})`, version: '1.0', date_created: createdAt },
      images: this.images,
      annotations: this.annotations,
      categories: this.categories,
    };
  }
}
