/** A mistake in how the command was called: reported without a stack trace, exit code 2 (like krr/typer). */
export class UsageError extends Error {
  override name = 'UsageError';
}
