/**
 * How a command ends with a chosen exit code. Its own module so that the command modules
 * and main.ts (which loads them) both import it without importing each other.
 */

/** Thrown by a command's action to end with a given exit code after printing nothing more. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
