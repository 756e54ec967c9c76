/** A bad command line: printed with the usage text, exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
