/** Ultralytics YOLO-seg labels and data.yaml. */
import type { MaskInstance } from './components';

/** Six decimals: a hundredth of a pixel on a 10 000-pixel image, and shorter files than full doubles. */
function coordinate(v: number, size: number): string {
  const t = Math.min(1, Math.max(0, v / size));
  return String(Math.round(t * 1e6) / 1e6);
}

/**
 * One line per component: `class x1 y1 x2 y2 …` normalised by the image size. YOLO-seg has no
 * holes, so a component with holes is labelled by its outer contour (COCO keeps the exact RLE).
 */
export function yoloLabel(classIndex: number, width: number, height: number, instances: readonly MaskInstance[]): string {
  const lines = instances.map((inst) =>
    [String(classIndex), ...inst.polygon.flatMap(([x, y]) => [coordinate(x, width), coordinate(y, height)])].join(' '),
  );
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/**
 * Without a `path` key Ultralytics takes the yaml's own folder as the dataset root, so the
 * export stays usable after being moved. Train and val both point at the one image folder:
 * splitting is the user's choice, not the exporter's.
 */
export function yoloDataYaml(classNames: readonly string[]): string {
  const lines = [
    '# YOLO-seg dataset written by GAA Workbench; paths are relative to this file.',
    'train: images',
    'val: images',
    `nc: ${classNames.length}`,
    'names:',
    ...classNames.map((name, i) => `  ${i}: ${JSON.stringify(name)}`),
  ];
  return lines.join('\n') + '\n';
}
