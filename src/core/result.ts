/**
 * Expected failures as values: a function that may fail for a reason a person can fix (no
 * index yet, a file that cannot be read, an option out of range) returns `T | Failure`, and
 * the caller tests `'error' in result`. Unexpected failures throw; failures a command-line
 * tool turns into an exit code throw a `VerbatimError` (`errors.ts`).
 */
export interface Failure {
  /** One line for people, naming what failed. */
  error: string;
}

export type Result<T> = T | Failure;
