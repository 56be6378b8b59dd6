/**
 * Display formatting shared by the CLI and the renderer. Zod-free (like image-ref.ts) so the
 * renderer can import it without pulling the schemas into its bundle.
 */

/** Binary units: `512 B`, `1.5 KiB`, `12 MiB` (one decimal below 10 of a unit, none above). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
