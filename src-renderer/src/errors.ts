/** The message to show for a failed request, whatever threw it. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
