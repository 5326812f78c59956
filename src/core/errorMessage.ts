// What to show of a caught value: JavaScript lets anything be thrown, not only Errors.

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
