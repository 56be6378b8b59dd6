/** Cluster colours: distinct hues readable on the dark surfaces, in a fixed order by card position. */
const PALETTE = ['#4c8dff', '#3fbf7f', '#f0a43a', '#c77dff', '#ff6b8a', '#2ec4c4', '#d4d44a', '#ff8f4a', '#8fa6ff', '#7ed957', '#e07ad8', '#b0b8c0'];

export function clusterColour(index: number): string {
  return index < 0 ? '#6b737d' : PALETTE[index % PALETTE.length];
}

/** Members dragged between cards and the "New cluster" zone travel as this type. */
export const MEMBERS_MIME = 'application/x-gaa-members';

export function readDraggedMembers(dt: DataTransfer): number[] | null {
  try {
    const ids = JSON.parse(dt.getData(MEMBERS_MIME)) as unknown;
    return Array.isArray(ids) && ids.every((x) => Number.isInteger(x)) && ids.length > 0 ? (ids as number[]) : null;
  } catch {
    return null;
  }
}

export function hasDraggedMembers(dt: DataTransfer): boolean {
  return dt.types.includes(MEMBERS_MIME);
}
