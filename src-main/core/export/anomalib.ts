/** anomalib's Folder datamodule: `normal_dir`, `abnormal_dir` and `mask_dir` under one root. */

export const FOLDER_DIRS = { normal: 'normal', abnormal: 'abnormal', mask: 'mask' } as const;

/**
 * The datamodule's arguments in anomalib's own config form (`class_path` + `init_args`, as in its
 * examples/configs/data/folder.yaml). anomalib pairs each abnormal image with a mask by sorting
 * both folders and then requires the image's stem to appear in the mask's stem, which is why the
 * export gives an abnormal image and its mask the same file name. `root` is absolute because
 * anomalib resolves a relative root against the working directory, not against this file.
 */
export function folderDatamoduleYaml(category: string, root: string, hasNormals: boolean): string {
  const lines = [
    '# anomalib Folder datamodule written by GAA Workbench (anomalib.data.Folder).',
    ...(hasNormals ? [] : ['# No normal images were exported for this category; anomalib needs some in normal_dir.']),
    'class_path: anomalib.data.Folder',
    'init_args:',
    `  name: ${JSON.stringify(category)}`,
    `  root: ${JSON.stringify(root)}`,
    `  normal_dir: ${FOLDER_DIRS.normal}`,
    `  abnormal_dir: ${FOLDER_DIRS.abnormal}`,
    `  mask_dir: ${FOLDER_DIRS.mask}`,
    '  normal_split_ratio: 0.2',
    '  extensions: [".png"]',
  ];
  return lines.join('\n') + '\n';
}
